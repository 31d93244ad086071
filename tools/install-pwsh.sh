#!/usr/bin/env bash
# Installs the PowerShell and Pester the Pester suites run in, pinned, into .tools/ (ignored by git):
#
#   .tools/pwsh/pwsh                      PowerShell 7.6.10, as a .NET tool (NuGet package PowerShell)
#   .tools/Modules/Pester/5.7.1/          Pester 5.7.1 (the tools/ folder of NuGet package Pester)
#
# Both come from NuGet through the .NET SDK, so the only registry needed is nuget.org. Running it
# again does nothing when both are in place. Prints the pwsh path on its last line.
# (PowerShell 7.7.0, the tool's latest, does not install as a .NET tool: the version is named.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

pwsh_version=7.6.10
pester_version=5.7.1
tools="$root/.tools"
pwsh="$tools/pwsh/pwsh"
pester="$tools/Modules/Pester/$pester_version"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

installed_pwsh_version() { [[ -x $pwsh ]] && "$pwsh" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null; }

if [[ "$(installed_pwsh_version)" != "$pwsh_version" ]]; then
    echo "Installing PowerShell $pwsh_version into $tools/pwsh" >&2
    rm -rf "$tools/pwsh"
    dotnet tool install PowerShell --version "$pwsh_version" --tool-path "$tools/pwsh" >&2
fi

if [[ ! -f $pester/Pester.psd1 ]]; then
    echo "Installing Pester $pester_version into $tools/Modules/Pester" >&2
    # A throwaway project whose restore downloads the package (PackageDownload: no assets, no build).
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cat >"$work/download.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
EOF
    dotnet restore "$work/download.csproj" --packages "$work/packages" -v quiet >&2
    rm -rf "$tools/Modules/Pester"
    mkdir -p "$tools/Modules/Pester"
    cp -R "$work/packages/pester/$pester_version/tools" "$pester"
fi

echo "$pwsh"
