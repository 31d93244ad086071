#!/usr/bin/env bash
# Build, test or demo SleapPS from bash (build.ps1 does the same for pwsh users).
#
#   ./build.sh [Build] [Test] [Pester] [Example]     default: Build; CONFIGURATION=Debug to change configuration
#   SLEAPPS_FLAVOUR=Gpu ./build.sh Build    the GPU flavour (docs/design/gpu.md §1) into out/gpu/SleapPS
#
#   Build    dotnet build SleapPS.slnx: assembles the importable module folder out/SleapPS/
#   Test     Build, then dotnet test tests/SleapPS.Tests (needs node 20 + npm for tests/js,
#            /usr/bin/python3 with h5py, libgtk-3-0, and SLEAP's fixtures at ../shared/fixtures/sleap),
#            then the Pester suites (Pester below); fails when either fails
#   Pester   Build, then the Pester 5 suites in tests/Pester in real pwsh against out/SleapPS
#            (tools/install-pwsh.sh puts pinned pwsh 7.6.10 and Pester 5.7.1 into .tools/ from NuGet)
#   Example  Build, then run examples/quickstart.ps1 on the fixtures, with pwsh when it is
#            installed (or in .tools/), else with tools/SleapPS.Runner (the PowerShell engine hosted in .NET)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

configuration="${CONFIGURATION:-Release}"
flavour="${SLEAPPS_FLAVOUR:-Cpu}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

section() { printf '\n=== %s ===\n' "$*"; }

built=false
build() {
    "$built" && return
    section "Build ($configuration, $flavour flavour): out/$([[ $flavour == Gpu ]] && echo gpu/)SleapPS"
    dotnet build SleapPS.slnx -c "$configuration" -p:OnnxRuntimeFlavour="$flavour" --nologo -v quiet -clp:NoSummary
    built=true
}

# The independent reader the tests run in node; installed from tests/js/package-lock.json.
ensure_sleap_io_js() {
    if [[ ! -d tests/js/node_modules/@talmolab/sleap-io.js || tests/js/package-lock.json -nt tests/js/node_modules ]]; then
        section "npm ci in tests/js (sleap-io.js)"
        (cd tests/js && npm ci --no-audit --no-fund --omit=optional --ignore-scripts)
    fi
}

require_fixtures() {
    if [[ ! -d ../shared/fixtures/sleap ]]; then
        echo "SLEAP's test data is missing: put the tests/data folder of talmolab/sleap (commit 7785f660) at $(realpath -m ../shared/fixtures/sleap)." >&2
        exit 1
    fi
}

test_() {
    require_fixtures
    build
    ensure_sleap_io_js
    section "Test: dotnet test tests/SleapPS.Tests"
    # Each test's outcome is listed; failures come with their message and stack trace.
    # The Pester suites run even when xunit fails, so that one run reports both; the build fails after them.
    local xunit=0 log
    log="$(mktemp)"
    dotnet test tests/SleapPS.Tests -c "$configuration" --no-build --nologo \
        --logger "console;verbosity=normal" 2>&1 | tee "$log" || xunit=$?
    pester
    if [[ $xunit -ne 0 ]]; then
        # Repeated at the end, where a CI log's tail shows it: each failed test with its message, no stack trace.
        section "xunit failures (repeated from above)"
        awk '/^  Failed /{on=1} /^  Stack Trace:/{on=0} on' "$log" >&2
        grep -aE 'Total tests|^ +(Passed|Failed|Skipped):|[Aa]borted|Test host process|exited with error' "$log" >&2 || true
        echo "dotnet test failed (exit code $xunit)." >&2
        rm -f "$log"
        exit "$xunit"
    fi
    rm -f "$log"
}

# Real pwsh and Pester, pinned, in .tools/ (installed on first use).
pwsh_path() { tools/install-pwsh.sh | tail -n 1; }

pester() {
    require_fixtures
    build
    local pwsh
    pwsh="$(pwsh_path)"
    section "Test: Pester on tests/Pester ($("$pwsh" -NoLogo -NoProfile -NonInteractive -Command '"pwsh $($PSVersionTable.PSVersion)"'))"
    "$pwsh" -NoLogo -NoProfile -NonInteractive -File tools/Invoke-PesterSuites.ps1
}

example() {
    build
    section "Example: examples/quickstart.ps1"
    if [[ -x .tools/pwsh/pwsh ]]; then
        .tools/pwsh/pwsh -NoLogo -NoProfile -NonInteractive -File examples/quickstart.ps1
    elif command -v pwsh >/dev/null; then
        pwsh -NoLogo -NoProfile -NonInteractive -File examples/quickstart.ps1
    else
        echo "(pwsh not found: running it with tools/SleapPS.Runner)"
        dotnet "tools/SleapPS.Runner/bin/$configuration/net10.0/SleapPS.Runner.dll" \
            --module out/SleapPS/SleapPS.psd1 examples/quickstart.ps1
    fi
}

tasks=("$@")
[[ ${#tasks[@]} -eq 0 ]] && tasks=(Build)
for task in "${tasks[@]}"; do
    case "${task,,}" in
        build) build ;;
        test) test_ ;;
        pester) pester ;;
        example) example ;;
        *) echo "Unknown task '$task'. Tasks: Build, Test, Pester, Example." >&2; exit 2 ;;
    esac
done
