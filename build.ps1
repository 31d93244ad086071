<#
.SYNOPSIS
    Builds, tests, packages or demonstrates SleapPS (build.sh does Build, Test and Example from bash).

.DESCRIPTION
    Build    dotnet build SleapPS.slnx: assembles the importable module folder out/SleapPS/.
    Test     Build, then dotnet test tests/SleapPS.Tests (installs tests/js with npm ci when needed),
             then the Pester suites (Pester below); fails when either fails.
    Pester   Build, then the Pester suites in tests/Pester in a fresh pwsh against out/SleapPS, with
             Pester 5.7.1 (installed from NuGet into .tools/Modules on first use, as tools/install-pwsh.sh does).
             Needs node 20 + npm, python with h5py (SLEAPPS_PYTHON, else /usr/bin/python3 or python3),
             and SLEAP's test data at ../shared/fixtures/sleap.
    Package  Build, then zip out/SleapPS into out/SleapPS-<ModuleVersion>.zip.
             With -Gpu: the GPU flavour (docs/design/gpu.md §1), out/gpu/SleapPS into out/SleapPS-gpu-<ModuleVersion>.zip.
    Example  Build, then run examples/quickstart.ps1 on the fixtures.

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 Package -Gpu
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Example')]
    [string[]] $Task = 'Build',

    [string] $Configuration = 'Release',

    # Build and package the GPU flavour: ONNX Runtime's GPU build (CUDA 13, cuDNN 9, TensorRT 10) in out/gpu/SleapPS.
    [switch] $Gpu
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$moduleFolder = $Gpu ? (Join-Path $root 'out' 'gpu' 'SleapPS') : (Join-Path $root 'out' 'SleapPS')
$flavour = $Gpu ? @('-p:OnnxRuntimeFlavour=Gpu') : @()
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

# The pwsh executable of this session, to start child processes with. (Get-Process -Id $PID).Path is dotnet
# when PowerShell runs as a .NET tool; $PSHOME holds the pwsh apphost in every distribution.
$pwshExecutable = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
if (-not (Test-Path -LiteralPath $pwshExecutable)) { $pwshExecutable = (Get-Process -Id $PID).Path }

$script:built = $false
function Invoke-Build {
    if ($script:built) { return }
    Write-Section "Build ($Configuration): $moduleFolder"
    Invoke-Native dotnet (@('build', (Join-Path $root 'SleapPS.slnx'), '-c', $Configuration, '--nologo', '-v', 'quiet') + $flavour)
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
    # The Pester suites run even when xunit failed, so that one run reports both; the build fails after them.
    $xunitOutput = [System.Collections.Generic.List[string]]::new()
    & dotnet test (Join-Path $root 'tests' 'SleapPS.Tests') -c $Configuration --no-build --nologo `
        --logger 'console;verbosity=normal' 2>&1 | ForEach-Object { $xunitOutput.Add("$_"); Write-Host "$_" }
    $xunitExitCode = $LASTEXITCODE
    Invoke-PesterSuites
    if ($xunitExitCode -ne 0) {
        # Repeated at the end, where a CI log's tail shows it: each failed test with its message, no stack trace.
        Write-Section 'xunit failures (repeated from above)'
        $showing = $false
        foreach ($line in $xunitOutput) {
            if ($line -match '^  Failed ') { $showing = $true }
            if ($line -match '^  Stack Trace:') { $showing = $false }
            if ($showing) { Write-Host $line }
        }
        $xunitOutput | Where-Object { $_ -match 'Total tests|^ +(Passed|Failed|Skipped):|[Aa]borted|Test host process|exited with error' } | Write-Host
        throw "dotnet test failed with exit code $xunitExitCode."
    }
}

# Pester 5.7.1, pinned, into .tools/Modules (as tools/install-pwsh.sh does): the tools/ folder of NuGet package
# Pester, downloaded by restoring a throwaway project, so that the .NET SDK's NuGet client is all it needs.
$pesterVersion = '5.7.1'
function Install-Pester {
    $module = Join-Path $root '.tools' 'Modules' 'Pester' $pesterVersion
    if (Test-Path -LiteralPath (Join-Path $module 'Pester.psd1')) { return $module }
    Write-Section "Install Pester $pesterVersion from NuGet into .tools/Modules/Pester"
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName())
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        Set-Content -LiteralPath (Join-Path $work 'download.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pesterVersion]" /></ItemGroup>
</Project>
"@
        Invoke-Native dotnet @('restore', (Join-Path $work 'download.csproj'), '--packages', (Join-Path $work 'packages'), '-v', 'quiet') | Out-Host
        New-Item -ItemType Directory -Path (Split-Path $module) -Force | Out-Null
        Copy-Item -LiteralPath (Join-Path $work 'packages' 'pester' $pesterVersion 'tools') -Destination $module -Recurse
    } finally {
        Remove-Item -LiteralPath $work -Recurse -Force
    }
    $module
}

function Invoke-PesterSuites {
    Assert-Fixtures
    Invoke-Build
    $module = Install-Pester
    Write-Section "Test: Pester $pesterVersion on tests/Pester (pwsh $($PSVersionTable.PSVersion))"
    # A separate process, so that the module the suites import is not locked into this session.
    Invoke-Native $pwshExecutable @('-NoLogo', '-NoProfile', '-NonInteractive',
        '-File', (Join-Path $root 'tools' 'Invoke-PesterSuites.ps1'), '-PesterModule', (Join-Path $module 'Pester.psd1'))
}

function Invoke-Package {
    Invoke-Build
    $version = (Import-PowerShellDataFile (Join-Path $root 'SleapPS.psd1')).ModuleVersion
    $zip = Join-Path $root 'out' ($Gpu ? "SleapPS-gpu-$version.zip" : "SleapPS-$version.zip")
    Write-Section "Package: $zip"
    # The zip holds the SleapPS folder itself, so that unzipping into a PSModulePath entry installs it.
    Compress-Archive -Path $moduleFolder -DestinationPath $zip -Force
    Get-Item $zip | Format-Table Name, Length -AutoSize
}

function Invoke-Example {
    Invoke-Build
    Write-Section 'Example: examples/quickstart.ps1'
    # A child process with the freshly built module, so that this session keeps no dll loaded.
    Invoke-Native $pwshExecutable @('-NoLogo', '-NoProfile', '-NonInteractive',
        '-File', (Join-Path $root 'examples' 'quickstart.ps1'))
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Pester' { Invoke-PesterSuites }
        'Package' { Invoke-Package }
        'Example' { Invoke-Example }
    }
}
