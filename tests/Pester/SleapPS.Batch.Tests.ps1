#Requires -Version 7.4
# Batch runs where no one watches (issue 12), in real pwsh processes: what `pwsh -File` scripts print and exit with,
# and the scheduled-task example started twice at once on the same folder (docs/design/batch-runs.md).
# Build first (./build.sh), then: ./build.sh Pester

BeforeAll {
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
    $Manifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1'))
    $Example = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' 'examples' 'scheduled' 'Predict-NewVideos.ps1'))
    $Cache = Join-Path ([System.IO.Path]::GetTempPath()) 'sleapps-pester-model-cache'
    # The single-instance robot model: quick on any video (one peak per node).
    $Models = Fixture 'models', 'minimal_robot.UNet.single_instance'
    $Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

    # Videos under names of their own (links to the fixtures, never copies), so that a batch has several.
    function New-VideoFolder([string] $Path, [hashtable] $Links) {
        $null = New-Item -ItemType Directory -Force $Path
        foreach ($name in $Links.Keys) { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $Path $name) -Target $Links[$name] }
        $Path
    }

    # Runs a script file in a new pwsh as a scheduler would; returns its exit code and its stdout lines.
    function Invoke-Script([string] $Text) {
        $file = Join-Path $TestDrive "script-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $file -Value $Text
        $lines = & $Pwsh -NoProfile -NonInteractive -File $file 2>$null
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($lines) }
    }

    $Pair = Fixture 'videos', 'centered_pair_small.mp4'
    $Robot = Fixture 'videos', 'small_robot.mp4'
}

Describe 'pwsh -File exit codes of a batch with a failed video' {
    BeforeAll {
        $Videos = New-VideoFolder (Join-Path $TestDrive 'videos') @{ 'a.mp4' = $Pair; 'c.mp4' = $Robot }
        Set-Content -LiteralPath (Join-Path $Videos 'b.mp4') -Value 'not a video'
        $Prelude = @"
Import-Module '$Manifest'
`$p = Import-SleapModel ('$Models' -split ',') -CacheFolder '$Cache'
`$videos = '$Videos/a.mp4', '$Videos/b.mp4', '$Videos/c.mp4'
"@
    }

    It 'exits with 0 though a video failed when the script does not look: errors alone do not set the exit code' {
        $out = Join-Path $TestDrive 'plain'
        $run = Invoke-Script "$Prelude`n`$null = `$p | Invoke-SleapPredict -Video `$videos -Frames 0-3 -OutputDirectory '$out' -ProgressReporting None"
        $run.ExitCode | Should -Be 0
        (Import-Csv (Join-Path $out 'sleapps-manifest.csv')).status | Should -Be 'Predicted', 'Failed', 'Predicted'
    }

    It 'exits with 1 after predicting the others when the script checks the summaries (the documented idiom)' {
        $out = Join-Path $TestDrive 'idiom'
        $run = Invoke-Script @"
$Prelude
`$summaries = `$p | Invoke-SleapPredict -Video `$videos -Frames 0-3 -OutputDirectory '$out' -ProgressReporting None -ErrorAction SilentlyContinue
if (`$summaries.Status -contains 'Failed') { exit 1 }
"@
        $run.ExitCode | Should -Be 1
        Join-Path $out 'a.predictions.slp' | Should -Exist
        Join-Path $out 'c.predictions.slp' | Should -Exist
    }

    It 'exits with 1 at the failed video under $ErrorActionPreference = Stop, leaving the videos after it unpredicted' {
        $out = Join-Path $TestDrive 'stop'
        $run = Invoke-Script "`$ErrorActionPreference = 'Stop'`n$Prelude`n`$null = `$p | Invoke-SleapPredict -Video `$videos -Frames 0-3 -OutputDirectory '$out' -ProgressReporting None"
        $run.ExitCode | Should -Be 1
        Join-Path $out 'a.predictions.slp' | Should -Exist
        Join-Path $out 'c.predictions.slp' | Should -Not -Exist
    }

    It 'exits with 0 when every video is predicted' {
        $out = Join-Path $TestDrive 'good'
        $run = Invoke-Script @"
$Prelude
`$summaries = `$p | Invoke-SleapPredict -Video `$videos[0], `$videos[2] -Frames 0-3 -OutputDirectory '$out' -ProgressReporting None
if (`$summaries.Status -contains 'Failed') { exit 1 }
"@
        $run.ExitCode | Should -Be 0
    }
}

Describe 'pwsh -File with -ProgressReporting Json' {
    It 'prints one JSON line per report on standard output, and the objects the script captures stay clean' {
        $Videos = New-VideoFolder (Join-Path $TestDrive 'json-videos') @{ 'a.mp4' = $Pair; 'b.mp4' = $Robot }
        $out = Join-Path $TestDrive 'json'
        $run = Invoke-Script @"
Import-Module '$Manifest'
`$p = Import-SleapModel ('$Models' -split ',') -CacheFolder '$Cache'
`$summaries = `$p | Invoke-SleapPredict -Video '$Videos/a.mp4', '$Videos/b.mp4' -Frames 0-7 -BatchSize 4 -OutputDirectory '$out' -ProgressReporting Json
if (@(`$summaries).Count -ne 2 -or (`$summaries | Where-Object { `$_ -is [string] })) { exit 2 }
"@
        $run.ExitCode | Should -Be 0
        $run.Lines.Count | Should -BeGreaterOrEqual 2
        $reports = $run.Lines | ForEach-Object { $_ | ConvertFrom-Json }   # every line is one JSON object
        $last = $reports | Group-Object video | ForEach-Object { $_.Group[-1] }
        $last.n_processed | Should -Be 8, 8
        $last.n_total | Should -Be 8, 8
        $last.video_number | Should -Be 1, 2
        $last.video_count | Should -Be 2, 2
    }
}

Describe 'examples/scheduled/Predict-NewVideos.ps1 started twice at once' {
    BeforeAll {
        $Videos = New-VideoFolder (Join-Path $TestDrive 'incoming') @{ 'a.mp4' = $Pair; 'b.mp4' = $Robot; 'c.mp4' = $Pair }
        $Out = Join-Path $TestDrive 'predictions'
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $Example, '-VideoFolder', $Videos, '-Model', $Models,
            '-OutputFolder', $Out, '-Frames', '0-15', '-ModulePath', $Manifest, '-CacheFolder', $Cache)
        $runs = 1..2 | ForEach-Object { Start-Process $Pwsh -ArgumentList $arguments -PassThru -RedirectStandardError (Join-Path $TestDrive "err$_.txt") }
        $runs | Wait-Process -Timeout 300
        $ExitCodes = $runs | ForEach-Object { $_.ExitCode }
        $Log = Get-Content (Join-Path $Out 'predict-new-videos.log')
    }

    It 'both runs succeed' {
        $ExitCodes | Should -Be 0, 0 -Because (Get-Content (Join-Path $TestDrive 'err*.txt') -Raw)
    }

    It 'predicts each video exactly once, between them' {
        foreach ($name in 'a.mp4', 'b.mp4', 'c.mp4') {
            $lines = $Log | Where-Object { $_ -match "\] (\w+)\s+.*[\\/]$([regex]::Escape($name)):" }
            @($lines | Where-Object { $_ -match '\] Predicted ' }).Count | Should -Be 1 -Because ($Log -join "`n")
            @($lines).Count | Should -Be 2 -Because 'each run logs each video once'
            @($lines | Where-Object { $_ -notmatch '\] (Predicted|Skipped|Locked) ' }).Count | Should -Be 0
        }
    }

    It 'leaves complete outputs, no parts or locks, and a manifest of three Predicted videos' {
        Import-Module $Manifest
        foreach ($name in 'a', 'b', 'c') {
            $labels = Import-SleapLabels (Join-Path $Out "$name.predictions.slp")
            $labels.LabeledFrames.Count | Should -Be 16
        }
        Get-ChildItem $Out -Filter '*.parts' | Should -BeNullOrEmpty
        Get-ChildItem $Out -Filter '*.lock*' | Should -BeNullOrEmpty
        $entries = (Get-Content (Join-Path $Out 'sleapps-manifest.json') -Raw | ConvertFrom-Json).videos
        $entries.output | Sort-Object | Should -Be 'a.predictions.slp', 'b.predictions.slp', 'c.predictions.slp'
        $entries.status | Should -Be 'Predicted', 'Predicted', 'Predicted'
        $entries.frames | Should -Be 16, 16, 16
    }
}
