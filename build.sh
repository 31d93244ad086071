#!/usr/bin/env bash
# Build, test or demo SleapPS from bash (build.ps1 does the same for pwsh users).
#
#   ./build.sh [Build] [Test] [Example]     default: Build; CONFIGURATION=Debug to change configuration
#
#   Build    dotnet build SleapPS.slnx: assembles the importable module folder out/SleapPS/
#   Test     Build, then dotnet test tests/SleapPS.Tests (needs node 20 + npm for tests/js,
#            /usr/bin/python3 with h5py, libgtk-3-0, and SLEAP's fixtures at ../shared/fixtures/sleap)
#   Example  Build, then run examples/quickstart.ps1 on the fixtures, with pwsh when it is
#            installed, else with tools/SleapPS.Runner (the PowerShell engine hosted in .NET)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

configuration="${CONFIGURATION:-Release}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

section() { printf '\n=== %s ===\n' "$*"; }

built=false
build() {
    "$built" && return
    section "Build ($configuration): out/SleapPS"
    dotnet build SleapPS.slnx -c "$configuration" --nologo -v quiet -clp:NoSummary
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
    dotnet test tests/SleapPS.Tests -c "$configuration" --no-build --nologo \
        --logger "console;verbosity=normal"
}

example() {
    build
    section "Example: examples/quickstart.ps1"
    if command -v pwsh >/dev/null; then
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
        example) example ;;
        *) echo "Unknown task '$task'. Tasks: Build, Test, Example." >&2; exit 2 ;;
    esac
done
