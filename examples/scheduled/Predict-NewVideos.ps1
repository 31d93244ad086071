#Requires -Version 7.4
<#
.SYNOPSIS
    Predicts every video in a folder that has no predictions yet, for cron or Windows Task Scheduler.

.DESCRIPTION
    Runs Invoke-SleapPredict -OutputDirectory on the videos of -VideoFolder: each gets its own .slp in -OutputFolder
    (<video name>.predictions.slp), videos already predicted are skipped, one an earlier run left unfinished is resumed,
    and one that fails is logged while the others go on. The folder's sleapps-manifest.json / .csv record each video's
    status. It is safe to start while an earlier run is still going: each output is locked by the run writing it, so the
    second run leaves that video to the first (status Locked) and predicts the others.

    One line per video goes to -LogFile. Exit code: 0 when no video failed (skipped and locked ones are fine), 1 when
    one did, so the scheduler can alert. See docs/design/batch-runs.md.

.EXAMPLE
    # cron, every 15 minutes (crontab -e):
    # */15 * * * * pwsh -NoProfile -NonInteractive -File /opt/sleapps/Predict-NewVideos.ps1 -VideoFolder /data/incoming -Model /models/centroid,/models/centered_instance >> /var/log/sleapps-cron.log 2>&1

.EXAMPLE
    # Windows Task Scheduler, every 15 minutes; Parallel lets a new run start while the last one still predicts.
    # $action = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument '-NoProfile -NonInteractive -File C:\sleapps\Predict-NewVideos.ps1 -VideoFolder D:\incoming -Model D:\models\centroid,D:\models\centered_instance'
    # $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 15)
    # $settings = New-ScheduledTaskSettingsSet -MultipleInstances Parallel -ExecutionTimeLimit (New-TimeSpan -Hours 12)
    # Register-ScheduledTask -TaskName 'SleapPS predict new videos' -Action $action -Trigger $trigger -Settings $settings
#>
[CmdletBinding()]
param(
    # The folder new videos arrive in.
    [Parameter(Mandatory)] [string] $VideoFolder,

    # The model folders (comma-separated when the script is started with pwsh -File).
    [Parameter(Mandatory)] [string[]] $Model,

    # Where the .slp files, the manifest and the logs go.
    [string] $OutputFolder = (Join-Path $VideoFolder 'predictions'),

    # One line per video, appended.
    [string] $LogFile = (Join-Path $OutputFolder 'predict-new-videos.log'),

    # Which files are videos.
    [string[]] $Extension = @('.mp4', '.avi', '.mov', '.mkv'),

    # Frames to predict in each video (all by default), e.g. 0-999.
    [string] $Frames,

    # The SleapPS module to import (its name when installed, or the path of SleapPS.psd1).
    [string] $ModulePath = 'SleapPS',

    # Where converted models are cached; SleapPS's default when not given.
    [string] $CacheFolder
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$null = New-Item -ItemType Directory -Force -Path $OutputFolder
function Write-Log([string] $Text) {
    Add-Content -LiteralPath $LogFile -Value "$((Get-Date).ToString('o')) [$PID] $Text"
}

$videos = @(Get-ChildItem -LiteralPath $VideoFolder -File | Where-Object { $Extension -contains $_.Extension.ToLowerInvariant() })
if ($videos.Count -eq 0) {
    Write-Log "No videos in $VideoFolder."
    exit 0
}
Write-Log "Predicting the new videos among $($videos.Count) in $VideoFolder."

$load = @{ Path = @($Model | ForEach-Object { $_ -split ',' } | Where-Object { $_ }) }
if ($CacheFolder) { $load.CacheFolder = $CacheFolder }
$predictor = Import-SleapModel @load

# A failed or locked video is an error record as well as a summary: the summaries say it all, so the errors are
# collected instead of stopping the run ($ErrorActionPreference is Stop above).
$predict = @{
    LiteralPath = $videos.FullName
    OutputDirectory = $OutputFolder
    ProgressLog = Join-Path $OutputFolder 'progress.jsonl'
    ErrorAction = 'SilentlyContinue'
    ErrorVariable = 'videoErrors'
}
if ($Frames) { $predict.Frames = $Frames }
try {
    $summaries = @($predictor | Invoke-SleapPredict @predict)
} finally {
    $predictor.Dispose()
}

foreach ($summary in $summaries) {
    $detail = switch ($summary.Status) {
        'Skipped' { 'already predicted' }
        'Locked' { 'another run is predicting it' }
        'Failed' { $summary.Error }
        default { '{0} frames, {1:0.0} frames/s, {2:0.00} instances/frame' -f $summary.Frames, $summary.FramesPerSecond, $summary.InstancesPerFrame }
    }
    Write-Log ('{0,-9} {1}: {2}' -f $summary.Status, $summary.Video, $detail)
}

$failed = @($summaries | Where-Object Status -EQ 'Failed')
if ($failed.Count -gt 0) {
    Write-Log "$($failed.Count) video(s) failed; see $(Join-Path $OutputFolder 'sleapps-manifest.csv')."
    exit 1
}
exit 0
