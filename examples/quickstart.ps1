<#
.SYNOPSIS
    SleapPS in four steps on SLEAP's own test data: import predictions, export them to the three
    formats SLEAP writes, flatten them into a table and filter it, and look at the video.

.DESCRIPTION
    Run it with `./build.sh Example` (or `./build.ps1 -Task Example`), or directly in pwsh after a
    build: `pwsh ./examples/quickstart.ps1`. The exported files are left in a new folder under the
    temporary directory, whose path is printed at the end.

    It runs in pwsh 7.4+ and in tools/SleapPS.Runner, which hosts only PowerShell's core cmdlets,
    so it uses .NET calls for paths and files (not Join-Path, New-Item, Select-Object).
#>
[CmdletBinding()]
param(
    # SLEAP's test data: the tests/data folder of the talmolab/sleap repository.
    [string] $Fixtures = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'shared', 'fixtures', 'sleap')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if (-not (Get-Module -Name SleapPS)) {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'SleapPS', 'SleapPS.psd1'))
}
$Fixtures = [System.IO.Path]::GetFullPath($Fixtures)
$predictionsPath = [System.IO.Path]::Combine($Fixtures, 'hdf5_format_v1', 'centered_pair_predictions.slp')

'== 1. Import the poses SLEAP predicted on a video of two flies'
$labels = Import-SleapLabels -Path $predictionsPath
# A script's output is formatted as one stream, shaped by its first object; Out-Default gives each
# kind of object its own table, as typing the lines at a prompt would.
$labels | Out-Default
$labels.Skeleton | Out-Default

'== 2. Export them as .slp, analysis HDF5 (for MATLAB / Python) and CSV'
$outputFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'sleapps-quickstart-' + [DateTime]::Now.ToString('yyyyMMdd-HHmmss'))
[void][System.IO.Directory]::CreateDirectory($outputFolder)
Export-SleapLabels -InputObject $labels -Path ([System.IO.Path]::Combine($outputFolder, 'centered_pair.slp'))
Export-SleapLabels -InputObject $labels -Path ([System.IO.Path]::Combine($outputFolder, 'centered_pair.analysis.h5')) -Format Analysis
Export-SleapLabels -InputObject $labels -Path ([System.IO.Path]::Combine($outputFolder, 'centered_pair.csv')) -Format Csv
# -WhatIf shows what would be written and writes nothing.
Export-SleapLabels -InputObject $labels -Path ([System.IO.Path]::Combine($outputFolder, 'not-written.slp')) -WhatIf
[System.IO.DirectoryInfo]::new($outputFolder).GetFiles() | ForEach-Object { '{0,-28} {1,12:N0} bytes' -f $_.Name, $_.Length }
$roundTrip = Import-SleapLabels -Path ([System.IO.Path]::Combine($outputFolder, 'centered_pair.slp'))
'Read back: {0} frames, {1} instances (the original has {2} and {3})' -f `
    $roundTrip.LabeledFrames.Count, $roundTrip.InstanceCount, $labels.LabeledFrames.Count, $labels.InstanceCount

'== 3. Flatten to one row per point and keep the confident ones'
$points = @(ConvertTo-SleapTable -InputObject $labels)
$confident = @($points | Where-Object Score -GE 0.9)
'{0:N0} points, {1:N0} of them with a score of at least 0.9' -f $points.Count, $confident.Count
'Heads of the flies in the first three frames:'
$points | Where-Object { $_.Node -eq 'head' -and $_.Frame -lt 3 } | Out-Default
$instances = @(ConvertTo-SleapTable -InputObject $labels -By Instance)
'{0:N0} instances, {1:N0} of them on track 1' -f $instances.Count, @($instances | Where-Object Track -EQ '1').Count

'== 4. The video behind the labels, found next to the fixtures though the file names tests/data/...'
Get-SleapVideo -Labels $labels | Out-Default
Get-SleapVideo -Path ([System.IO.Path]::Combine($Fixtures, 'videos', 'small_robot.mp4')) | Out-Default

"The exported files are in $outputFolder"
