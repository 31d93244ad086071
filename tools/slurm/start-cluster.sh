#!/usr/bin/env bash
# Starts a one-node SLURM cluster on this machine (slurmctld and slurmd on this host, munge for authentication), for
# the sharded-run test and for trying examples/slurm/ by hand. Needs root (Debian 12; CI runs it as root from .ci/run).
#
#   tools/slurm/start-cluster.sh            install (apt-get slurm-wlm munge) when missing, configure, start, wait for idle
#   tools/slurm/start-cluster.sh --stop     stop the daemons it started (slurmd, slurmctld, munged)
#
# Idempotent: running it again while the cluster is up changes nothing (it only checks that the node is idle); when the
# machine's CPUs or memory changed, it rewrites slurm.conf and restarts the daemons. The configuration
# (docs/cluster.md §Local cluster): NodeName = `hostname -s`, CPUs = nproc, RealMemory a tenth below the memory
# available now, ProctrackType=proctrack/linuxproc and TaskPlugin=task/none (no cgroups or systemd needed, so it runs in
# containers), SelectType=select/cons_tres with CR_CPU (jobs share the node by CPUs; memory is not enforced), one
# partition "debug", everything runs as root (SlurmUser=root). The munge key is made on first start.
set -euo pipefail

conf_dir=/etc/slurm
conf="$conf_dir/slurm.conf"
munge_key=/etc/munge/munge.key
state=/var/spool/slurmctld
spool=/var/spool/slurmd
logs=/var/log/slurm
run=/run/slurm
wait_seconds="${SLURM_START_TIMEOUT:-90}"

say() { printf 'start-cluster: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

if [[ $(id -u) -ne 0 ]]; then
    die "needs root (it installs packages, writes /etc/slurm and starts daemons): run it with sudo."
fi

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {
    local file=$1 name=$2
    if pid_alive "$file"; then
        say "stopping $name (pid $(cat "$file"))"
        kill "$(cat "$file")"
        for _ in $(seq 50); do pid_alive "$file" || break; sleep 0.2; done
    fi
    rm -f "$file"
}

if [[ ${1:-} == --stop ]]; then
    stop_pid "$run/slurmd.pid" slurmd
    stop_pid "$run/slurmctld.pid" slurmctld
    stop_pid /run/munge/munged.pid munged
    exit 0
fi

# 1. Packages.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Debian's maintainer scripts try to start the services through invoke-rc.d; in a container without an init
    # system that fails harmlessly, and this script starts the daemons itself below.
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

# 2. Munge: one key for this host (made once), daemon running as the munge user.
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
if [[ ! -s $munge_key ]]; then
    say "making the munge key $munge_key"
    dd if=/dev/urandom of="$munge_key" bs=1 count=1024 status=none
fi
chown munge:munge "$munge_key" /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0400 "$munge_key"
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
if ! pid_alive /run/munge/munged.pid; then
    say "starting munged"
    runuser -u munge -- /usr/sbin/munged
fi
for _ in $(seq 50); do munge -n </dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
munge -n </dev/null | unmunge >/dev/null || die "munge does not work: see /var/log/munge/munged.log"

# 3. slurm.conf for this host.
host="$(hostname -s)"
cpus="$(nproc)"
available_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
real_memory=$(( available_mb * 9 / 10 ))
mkdir -p "$conf_dir" "$state" "$spool" "$logs" "$run"
wanted="$(cat <<EOF
# Written by tools/slurm/start-cluster.sh: a one-node cluster on $host (docs/cluster.md).
ClusterName=sleapps
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
StateSaveLocation=$state
SlurmdSpoolDir=$spool
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$real_memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)"
# RealMemory follows free memory, which moves: rewrite only when the CPUs change or the memory would no longer fit.
current_memory=$(sed -n 's/^NodeName=.* RealMemory=\([0-9]*\).*/\1/p' "$conf" 2>/dev/null || true)
current_cpus=$(sed -n 's/^NodeName=.* CPUs=\([0-9]*\).*/\1/p' "$conf" 2>/dev/null || true)
changed=false
if [[ ! -f $conf || $current_cpus != "$cpus" || -z $current_memory || $current_memory -gt $available_mb ]] || ! grep -q "^SlurmctldHost=$host\$" "$conf"; then
    say "writing $conf (node $host, $cpus CPUs, RealMemory $real_memory MB)"
    printf '%s\n' "$wanted" >"$conf"
    changed=true
fi
# Debian's slurm-wlm-basic-plugins ships no cgroup.conf; linuxproc and task/none do not read one.

if $changed; then
    stop_pid "$run/slurmd.pid" slurmd
    stop_pid "$run/slurmctld.pid" slurmctld
fi

# 4. Daemons.
if ! pid_alive "$run/slurmctld.pid"; then
    say "starting slurmctld"
    slurmctld
fi
if ! pid_alive "$run/slurmd.pid"; then
    say "starting slurmd"
    slurmd
fi

# 5. Wait until the node takes jobs.
deadline=$(( SECONDS + wait_seconds ))
resumed=false
while :; do
    node_state="$(sinfo -h -N -n "$host" -o '%t' 2>/dev/null | head -n 1 || true)"
    case "$node_state" in
        idle|mix|alloc) break ;;
        down*|drain*|drng*)
            if ! $resumed; then
                say "node $host is $node_state: resuming it"
                scontrol update NodeName="$host" State=RESUME || true
                resumed=true
            fi ;;
    esac
    if (( SECONDS >= deadline )); then
        sinfo -N -l >&2 || true
        tail -n 20 "$logs/slurmctld.log" "$logs/slurmd.log" >&2 || true
        die "the node $host did not become idle within ${wait_seconds}s (state: ${node_state:-unknown})"
    fi
    sleep 1
done
say "cluster up: $(sinfo -h -N -o '%N %t %c CPUs %m MB' | head -n 1)"
