<#
.SYNOPSIS
    Runs the Pester suites in tests/Pester against the built module (out/SleapPS/SleapPS.psd1) and
    exits with the number of failed tests (0: all passed).

.DESCRIPTION
    build.sh and build.ps1 run this in a fresh pwsh process, so that the module the suites import is
    not locked into the caller's session. Pester comes from -PesterModule (the Pester.psd1 that
    tools/install-pwsh.sh puts in .tools/Modules/Pester/5.7.1), else from the newest Pester 5 on
    PSModulePath. The last line printed is a one-line summary a CI log can be searched for.

.EXAMPLE
    .tools/pwsh/pwsh -NoProfile -File tools/Invoke-PesterSuites.ps1 -FullNameFilter '*Invoke-SleapPredict*'
#>
[CmdletBinding()]
param(
    # The Pester.psd1 to import.
    [string] $PesterModule = [System.IO.Path]::Combine($PSScriptRoot, '..', '.tools', 'Modules', 'Pester', '5.7.1', 'Pester.psd1'),

    # Suite files or folders; all of tests/Pester by default.
    [string[]] $Path = @([System.IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'Pester')),

    # Run only the tests whose full name (Describe, Context and It joined by dots) matches one of these wildcards.
    [string[]] $FullNameFilter,

    # Pester's console output: Detailed lists every test; Normal only failures.
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Detailed'
)
$ErrorActionPreference = 'Stop'

if (Test-Path -LiteralPath $PesterModule) {
    Import-Module -Name ([System.IO.Path]::GetFullPath($PesterModule)) -Force
} else {
    $installed = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $installed) {
        throw "Pester 5 was not found at $PesterModule nor on PSModulePath: run tools/install-pwsh.sh, or Install-Module Pester -MinimumVersion 5.7.1."
    }
    Import-Module $installed -Force
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($Path | ForEach-Object { [System.IO.Path]::GetFullPath($_) })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
if ($FullNameFilter) { $configuration.Filter.FullName = $FullNameFilter }

$result = Invoke-Pester -Configuration $configuration
if ($null -eq $result) {
    # Pester could not run the suites at all (a path that does not exist, a broken configuration).
    Write-Host "Pester $((Get-Module Pester).Version) in pwsh $($PSVersionTable.PSVersion): no result - FAILED"
    exit 1
}
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
$version = (Get-Module Pester).Version
Write-Host ('Pester {0} in pwsh {1}: {2} not run, {3} failed blocks/containers ({4:0.0} s) - {5}' -f
    $version, $PSVersionTable.PSVersion, $result.NotRunCount, ($result.FailedBlocksCount + $result.FailedContainersCount),
    $result.Duration.TotalSeconds, $(if ($failed -eq 0) { 'PASSED' } else { 'FAILED' }))
# The closing line in the plain form CI readers look for ('N passed, N failed, N skipped'); failed blocks count as failures.
Write-Host ('Pester: {0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $failed, $result.SkippedCount)
exit ([Math]::Min($failed, 255))
