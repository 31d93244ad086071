#!/usr/bin/env bash
# Submits a sharded prediction (predict.sbatch, an array of SLEAPPS_SHARDS tasks) and its join (join.sbatch, started
# only when every shard succeeded), then prints the two job ids: "<predict job> <join job>".
#
#   SLEAPPS_MODEL=/models/robot SLEAPPS_VIDEOS="/data/a.mp4 /data/b.mp4" SLEAPPS_OUTPUT=/data/predictions \
#   SLEAPPS_MODULE=/opt/SleapPS/SleapPS.psd1 examples/slurm/submit.sh
#
# Other settings (all optional): SLEAPPS_SHARDS (4), SLEAPPS_PWSH (pwsh), SLEAPPS_CACHE (converted-model cache),
# SLEAPPS_FRAMES_PER_PART (500), SLEAPPS_BATCH_SIZE, SLEAPPS_LOGS (where the job logs go: SLEAPPS_OUTPUT).
# Every path must be the same on every node (a shared file system).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export SLEAPPS_EXAMPLES="$here"
: "${SLEAPPS_OUTPUT:?set SLEAPPS_OUTPUT to the folder every shard writes its parts into}"
shards="${SLEAPPS_SHARDS:-4}"
logs="${SLEAPPS_LOGS:-$SLEAPPS_OUTPUT}"
mkdir -p "$SLEAPPS_OUTPUT" "$logs"

predict=$(sbatch --parsable --array="0-$((shards - 1))" --export=ALL \
    --output="$logs/sleapps-predict-%A_%a.log" "$here/predict.sbatch")
predict="${predict%%;*}"
join=$(sbatch --parsable --dependency="afterok:$predict" --kill-on-invalid-dep=yes --export=ALL \
    --output="$logs/sleapps-join-%j.log" "$here/join.sbatch")
echo "$predict ${join%%;*}"
