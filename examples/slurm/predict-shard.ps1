#Requires -Version 7.4
<#
.SYNOPSIS
    Predicts one shard of a sharded run: this task's share of the videos, as parts in -OutputDirectory.

.DESCRIPTION
    Run by predict.sbatch once per array task (docs/cluster.md). Every shard is given the same videos and the same
    shard count; -Shard picks this shard's frames by the plan every shard computes alike. A shard that is run again
    skips its parts that are complete and resumes the one it was writing. Any error stops the script with exit
    code 1, so that SLURM marks the task failed and a dependent join (afterok) does not start.

.EXAMPLE
    pwsh -File predict-shard.ps1 -Shard 1/4 -Model ./models/robot -Video './videos/a.mp4;./videos/b.mp4' -OutputDirectory ./predictions
#>
param(
    # This shard: i/n (0-based), 'auto' or 'auto/n' (docs/cmdlets/Invoke-SleapPredict.md, -Shard).
    [Parameter(Mandatory)] [string] $Shard,
    # The model folders (one, or centroid and centered-instance); from pwsh -File, one text with ';' between them.
    [Parameter(Mandatory)] [string[]] $Model,
    # The videos of the whole run, the same list for every shard (wildcards allowed); from pwsh -File, one text with ';' between them.
    [Parameter(Mandatory)] [string[]] $Video,
    # Where every shard writes its parts (a folder all shards see).
    [Parameter(Mandatory)] [string] $OutputDirectory,
    # The SleapPS module to import (a path to SleapPS.psd1, or the name of an installed module).
    [string] $Module = 'SleapPS',
    # Where converted models are cached (share it among shards so the conversion happens once per node).
    [string] $CacheFolder,
    # How often a shard saves its progress (frames per part); smaller loses less when a task is killed.
    [int] $FramesPerPart = 500,
    # Frames per batch; 0 keeps the model's.
    [int] $BatchSize = 0
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
# pwsh -File passes each argument as one string: lists come joined by ';'.
$Model = $Model -split ';' | Where-Object { $_ }
$Video = $Video -split ';' | Where-Object { $_ }

$load = @{ Path = $Model }
if ($CacheFolder) { $load.CacheFolder = $CacheFolder }
$predictor = Import-SleapModel @load

$predict = @{ Predictor = $predictor; Video = $Video; Shard = $Shard; OutputDirectory = $OutputDirectory; FramesPerPart = $FramesPerPart }
if ($BatchSize -gt 0) { $predict.BatchSize = $BatchSize }
New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null
Invoke-SleapPredict @predict -Verbose
Write-Host "shard $Shard done on $([System.Net.Dns]::GetHostName())"
