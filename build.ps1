<#
.SYNOPSIS
    Builds, tests, packages or demonstrates SleapPS (build.sh does Build, Test and Example from bash).

.DESCRIPTION
    Build    dotnet build SleapPS.slnx: assembles the importable module folder out/SleapPS/.
    Test     Build, then dotnet test tests/SleapPS.Tests (installs tests/js with npm ci when needed),
             then the Pester 5 suites in tests/Pester when Pester 5 is installed.
             Needs node 20 + npm, python with h5py (SLEAPPS_PYTHON, else /usr/bin/python3 or python3),
             and SLEAP's test data at ../shared/fixtures/sleap.
    Package  Build, then zip out/SleapPS into out/SleapPS-<ModuleVersion>.zip.
    Example  Build, then run examples/quickstart.ps1 on the fixtures.

.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Example')]
    [string[]] $Task = 'Build',

    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out' 'SleapPS'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'

function Write-Section([string] $Title) {
    Write-Host ''
    Write-Host "=== $Title ===" -ForegroundColor Cyan
}

# Runs a native command and stops the build when it fails ($PSNativeCommandUseErrorActionPreference
# is not on by default in every PowerShell 7 release, so the exit code is checked here).
function Invoke-Native([string] $Command, [string[]] $Arguments) {
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE."
    }
}

$script:built = $false
function Invoke-Build {
    if ($script:built) { return }
    Write-Section "Build ($Configuration): out/SleapPS"
    Invoke-Native dotnet @('build', (Join-Path $root 'SleapPS.slnx'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    $script:built = $true
}

# sleap-io.js, the independent reader the tests run in node, pinned by tests/js/package-lock.json.
function Install-SleapIoJs {
    $js = Join-Path $root 'tests' 'js'
    $installed = Join-Path $js 'node_modules' '@talmolab' 'sleap-io.js'
    $lock = Get-Item (Join-Path $js 'package-lock.json')
    $modules = Get-Item (Join-Path $js 'node_modules') -ErrorAction SilentlyContinue
    if ((Test-Path $installed) -and $modules -and $modules.LastWriteTimeUtc -ge $lock.LastWriteTimeUtc) { return }
    Write-Section 'npm ci in tests/js (sleap-io.js)'
    Push-Location $js
    try { Invoke-Native npm @('ci', '--no-audit', '--no-fund', '--omit=optional', '--ignore-scripts') }
    finally { Pop-Location }
}

function Assert-Fixtures {
    $fixtures = [System.IO.Path]::GetFullPath((Join-Path $root '..' 'shared' 'fixtures' 'sleap'))
    if (-not (Test-Path -LiteralPath $fixtures -PathType Container)) {
        throw "SLEAP's test data is missing: put the tests/data folder of talmolab/sleap (commit 7785f660) at $fixtures."
    }
}

function Invoke-Test {
    Assert-Fixtures
    Invoke-Build
    Install-SleapIoJs
    Write-Section 'Test: dotnet test tests/SleapPS.Tests'
    Invoke-Native dotnet @('test', (Join-Path $root 'tests' 'SleapPS.Tests'), '-c', $Configuration, '--no-build', '--nologo',
        '--logger', 'console;verbosity=normal')

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed, so tests/Pester was skipped (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser).'
        return
    }
    Write-Section "Test: Pester $($pester.Version) on tests/Pester"
    # A separate process, so that the module the suites import is not locked into this session.
    $pesterScript = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -RequiredVersion $($pester.Version)
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = '$((Join-Path $root 'tests' 'Pester').Replace("'", "''"))'
`$configuration.Run.Exit = `$true
`$configuration.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration `$configuration
"@
    # -EncodedCommand: the script travels intact whatever the platform's argument quoting rules.
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($pesterScript))
    Invoke-Native (Get-Process -Id $PID).Path @('-NoLogo', '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
}

function Invoke-Package {
    Invoke-Build
    $version = (Import-PowerShellDataFile (Join-Path $root 'SleapPS.psd1')).ModuleVersion
    $zip = Join-Path $root 'out' "SleapPS-$version.zip"
    Write-Section "Package: $zip"
    # The zip holds the SleapPS folder itself, so that unzipping into a PSModulePath entry installs it.
    Compress-Archive -Path $moduleFolder -DestinationPath $zip -Force
    Get-Item $zip | Format-Table Name, Length -AutoSize
}

function Invoke-Example {
    Invoke-Build
    Write-Section 'Example: examples/quickstart.ps1'
    # A child process with the freshly built module, so that this session keeps no dll loaded.
    Invoke-Native (Get-Process -Id $PID).Path @('-NoLogo', '-NoProfile', '-NonInteractive',
        '-File', (Join-Path $root 'examples' 'quickstart.ps1'))
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Example' { Invoke-Example }
    }
}
