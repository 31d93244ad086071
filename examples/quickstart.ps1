<#
.SYNOPSIS
    The README's pipeline on SLEAP's own test data: predict poses with trained models, track them,
    export them to the three formats SLEAP writes, evaluate a predictor against ground truth, render
    the tracked poses onto the video, and flatten them into a table.

.DESCRIPTION
    Run it with `./build.sh Example` (or `./build.ps1 -Task Example`), or directly in pwsh after a
    build: `pwsh ./examples/quickstart.ps1`. The files it writes are left in -OutputFolder (by default
    a new folder under the temporary directory), whose path is printed at the end.

    It runs in pwsh 7.4+ and in tools/SleapPS.Runner, which hosts only PowerShell's core cmdlets,
    so it uses .NET calls for paths and files (not Join-Path, New-Item, Select-Object).
#>
[CmdletBinding()]
param(
    # SLEAP's test data: the tests/data folder of the talmolab/sleap repository.
    [string] $Fixtures = [System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'shared', 'fixtures', 'sleap'),

    # Where the files go; created when missing.
    [string] $OutputFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'sleapps-quickstart-' + [DateTime]::Now.ToString('yyyyMMdd-HHmmss'))
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if (-not (Get-Module -Name SleapPS)) {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'SleapPS', 'SleapPS.psd1'))
}
$Fixtures = [System.IO.Path]::GetFullPath($Fixtures)
$OutputFolder = [System.IO.Path]::GetFullPath($OutputFolder)
[void][System.IO.Directory]::CreateDirectory($OutputFolder)
function Output([string] $Name) { [System.IO.Path]::Combine($OutputFolder, $Name) }
$models = [System.IO.Path]::Combine($Fixtures, 'models')
$video = [System.IO.Path]::Combine($Fixtures, 'videos', 'centered_pair_small.mp4')
# The model cache keeps the converted ONNX models, so that a second run starts at once.
$cache = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'sleapps-quickstart-models')

'== 1. Load a top-down predictor: a centroid model and a centered-instance model (converted to ONNX, cached)'
$predictor = Import-SleapModel ([System.IO.Path]::Combine($models, 'minimal_instance.UNet.centroid')),
    ([System.IO.Path]::Combine($models, 'minimal_instance.UNet.centered_instance')) -CacheFolder $cache
$predictor | Out-Default

'== 2. Predict the first 20 frames of a video of two flies, and write them'
$predictor | Invoke-SleapPredict -Video $video -Frames '0-19' | Export-SleapLabels (Output 'predictions.slp')
$predictions = Import-SleapLabels (Output 'predictions.slp')
$predictions | Out-Default

'== 3. Track them with SLEAP''s flow tracker'
$tracked = $predictions | Start-SleapTracker -Tracker flow -MaxTracks 2
$tracked.Tracks | Out-Default

'== 4. Export as .slp, analysis HDF5 (for MATLAB / Python) and CSV'
Export-SleapLabels -InputObject $tracked -Path (Output 'tracked.slp')
Export-SleapLabels -InputObject $tracked -Path (Output 'tracked.analysis.h5') -Format Analysis
Export-SleapLabels -InputObject $tracked -Path (Output 'tracked.csv') -Format Csv
# -WhatIf shows what would be written and writes nothing.
Export-SleapLabels -InputObject $tracked -Path (Output 'not-written.slp') -WhatIf
[System.IO.DirectoryInfo]::new($OutputFolder).GetFiles() | ForEach-Object { '{0,-24} {1,12:N0} bytes' -f $_.Name, $_.Length }

'== 5. Evaluate the predictor against ground truth: predict the labelled frames of a labels file and compare'
$groundTruth = [System.IO.Path]::Combine($Fixtures, 'slp_hdf5', 'minimal_instance.slp')
$evaluated = $predictor | Invoke-SleapPredict -Labels $groundTruth
$metrics = Measure-SleapAccuracy -GroundTruth $groundTruth -Predicted $evaluated
$metrics | Out-Default
$metrics.PerNode | Out-Default

'== 6. Draw the tracked poses onto the video'
$tracked | Export-SleapVideo (Output 'tracked.mp4') -Frames '0-19' -PassThru | Out-Default

'== 7. Flatten to one row per point and keep the confident ones'
$points = @(ConvertTo-SleapTable -InputObject $tracked)
$confident = @($points | Where-Object Score -GE 0.5)
'{0:N0} points, {1:N0} of them with a score of at least 0.5' -f $points.Count, $confident.Count
$points | Where-Object { $_.Frame -lt 2 } | Out-Default

$predictor.Dispose()
"The files are in $OutputFolder"
