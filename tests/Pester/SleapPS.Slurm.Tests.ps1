#Requires -Version 7.4
# A sharded run on a real SLURM cluster (docs/cluster.md): examples/slurm/ submitted with sbatch to the one-node
# cluster tools/slurm/start-cluster.sh starts (.ci/run starts it in CI). The joined outputs must equal one process's
# run, and a shard cancelled while running (scancel), then re-submitted, must resume without losing or repeating a frame.
# Skipped, with the reason, only where sbatch is not installed; in CI (CI=true) a missing cluster fails the suite.

BeforeDiscovery {
    $script:NoSlurm = -not (Get-Command sbatch -ErrorAction SilentlyContinue)
    if ($NoSlurm -and $env:CI -eq 'true') {
        throw 'CI must run the SLURM test, but sbatch is not installed: .ci/run starts a one-node cluster with tools/slurm/start-cluster.sh before the tests.'
    }
}

BeforeAll {
    $Root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..'))
    $Manifest = Join-Path $Root 'out' 'SleapPS' 'SleapPS.psd1'
    Import-Module $Manifest -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $Root '..' 'shared' 'fixtures' 'sleap'))
    $Model = Join-Path $Fixtures 'models' 'minimal_robot.UNet.single_instance'
    # 166 + 3 frames: shard 3 ends one video and holds all of the next.
    $Videos = @((Join-Path $Fixtures 'videos' 'small_robot.mp4'), (Join-Path $Fixtures 'videos' 'small_robot_3_frame.mp4'))
    $Work = Join-Path ([System.IO.Path]::GetTempPath()) "sleapps-slurm-$PID"
    $Cache = Join-Path $Work 'model-cache'
    New-Item -ItemType Directory -Force $Work, $Cache | Out-Null
    $Python = '/usr/bin/python3'

    # What every job needs, from the environment (sbatch --export=ALL).
    $env:SLEAPPS_MODEL = $Model
    $env:SLEAPPS_VIDEOS = $Videos -join ' '
    $env:SLEAPPS_MODULE = $Manifest
    # The pinned pwsh (tools/install-pwsh.sh) when there is one: this process's path is dotnet's for a .NET tool.
    $pinned = Join-Path $Root '.tools' 'pwsh' 'pwsh'
    $env:SLEAPPS_PWSH = if (Test-Path $pinned) { $pinned } else { (Get-Command pwsh -ErrorAction Stop).Source }
    $env:SLEAPPS_CACHE = $Cache
    $env:SLEAPPS_EXAMPLES = Join-Path $Root 'examples' 'slurm'

    function Wait-Job([string[]] $JobIds, [int] $TimeoutSeconds = 240) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ((squeue -h -j ($JobIds -join ',') 2>$null)) {
            if ([DateTime]::UtcNow -gt $deadline) {
                scancel @JobIds
                throw "SLURM jobs $($JobIds -join ', ') did not finish within $TimeoutSeconds s: $(squeue -j ($JobIds -join ','))"
            }
            Start-Sleep -Milliseconds 500
        }
    }

    function Get-JobState([string] $JobId) {
        # MinJobAge (tools/slurm/start-cluster.sh) keeps finished jobs visible to scontrol for 5 minutes.
        $line = scontrol show job $JobId -o 2>&1 | Select-Object -First 1
        if ("$line" -match 'JobState=(\S+)') { $Matches[1] } else { "unknown ($line)" }
    }

    function Submit([string[]] $Arguments) {
        $id = sbatch --parsable @Arguments
        if ($LASTEXITCODE -ne 0) { throw "sbatch $Arguments failed (exit $LASTEXITCODE): is the cluster up? Run tools/slurm/start-cluster.sh as root." }
        "$id".Split(';')[0]
    }

    function Compare-Predictions([string] $Expected, [string] $Actual) {
        $json = & $Python (Join-Path $Root 'tests' 'python' 'compare_predictions.py') $Expected $Actual
        if ($LASTEXITCODE -ne 0) { throw "compare_predictions.py failed on $Expected and $Actual" }
        $json | ConvertFrom-Json
    }

    function Assert-SameAsSingleRun([string] $Folder) {
        foreach ($video in $Videos) {
            $name = [System.IO.Path]::GetFileNameWithoutExtension($video) + '.predictions.slp'
            $joined = Join-Path $Folder $name
            $joined | Should -Exist
            $d = Compare-Predictions (Join-Path $SingleRun $name) $joined
            $d.frames[1] | Should -Be $d.frames[0]
            $d.frame_idx_equal | Should -BeTrue -Because "$name must hold the single run's frames, each once"
            $d.frame_idx_unique | Should -BeTrue
            $d.instances[1] | Should -Be $d.instances[0]
            $d.instances_per_frame_equal | Should -BeTrue
            $d.nan_equal | Should -BeTrue
            $d.max_point_diff | Should -BeLessOrEqual 1e-6
            $d.max_point_score_diff | Should -BeLessOrEqual 1e-6
            $d.max_instance_score_diff | Should -BeLessOrEqual 1e-6
            $labels = Import-SleapLabels $joined
            $labels.Provenance['sleapps_joined']['shard_count'] | Should -Be 4
            $labels.Provenance.ContainsKey('sleapps_shard') | Should -BeFalse
        }
    }

    if (-not $NoSlurm) {
        # The reference: one process predicts each video into its own file, as a single machine would.
        $SingleRun = Join-Path $Work 'single'
        New-Item -ItemType Directory -Force $SingleRun | Out-Null
        $predictor = Import-SleapModel $Model -CacheFolder $Cache
        foreach ($video in $Videos) {
            Invoke-SleapPredict -Predictor $predictor -Video $video -OutputPath (Join-Path $SingleRun ([System.IO.Path]::GetFileNameWithoutExtension($video) + '.predictions.slp'))
        }
    }
}

AfterAll {
    foreach ($name in 'SLEAPPS_MODEL', 'SLEAPPS_VIDEOS', 'SLEAPPS_MODULE', 'SLEAPPS_PWSH', 'SLEAPPS_CACHE', 'SLEAPPS_EXAMPLES', 'SLEAPPS_OUTPUT',
        'SLEAPPS_FRAMES_PER_PART', 'SLEAPPS_BATCH_SIZE', 'SLEAPPS_SHARDS', 'SLEAPPS_LOGS') {
        Remove-Item "env:$name" -ErrorAction SilentlyContinue
    }
    if ($Work) { Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue }
}

Describe 'A sharded run on a SLURM cluster (examples/slurm)' {
    BeforeEach {
        if ($NoSlurm) { Set-ItResult -Skipped -Because 'sbatch is not installed here (run tools/slurm/start-cluster.sh as root to start a one-node cluster); CI runs this test' }
    }

    It 'joins the parts of a 4-task sbatch array into what one process writes' {
        $env:SLEAPPS_OUTPUT = Join-Path $Work 'array'
        $ids = (& (Join-Path $Root 'examples' 'slurm' 'submit.sh')) -split ' '
        $LASTEXITCODE | Should -Be 0 -Because 'submit.sh must submit both jobs (is the cluster up? tools/slurm/start-cluster.sh)'
        Wait-Job $ids
        Get-JobState $ids[1] | Should -Be 'COMPLETED' -Because "the join job runs after every shard succeeded: $(Get-Content (Join-Path $env:SLEAPPS_OUTPUT '*.log') -Raw)"
        foreach ($task in 0..3) { Get-JobState "$($ids[0])_$task" | Should -Be 'COMPLETED' }
        # Shard 3 holds the end of one video and the whole other one: 5 parts in all.
        (Get-ChildItem $env:SLEAPPS_OUTPUT -Filter '*.shard-*-of-0004.slp').Name | Sort-Object | Should -Be (@(
            'small_robot.predictions.shard-0000-of-0004.slp', 'small_robot.predictions.shard-0001-of-0004.slp',
            'small_robot.predictions.shard-0002-of-0004.slp', 'small_robot.predictions.shard-0003-of-0004.slp',
            'small_robot_3_frame.predictions.shard-0003-of-0004.slp') | Sort-Object)
        Assert-SameAsSingleRun $env:SLEAPPS_OUTPUT
    }

    It 'resumes a shard cancelled while running (scancel) without losing or repeating a frame' {
        $out = Join-Path $Work 'cancelled'
        New-Item -ItemType Directory -Force $out | Out-Null
        $env:SLEAPPS_OUTPUT = $out
        # Small parts and one frame a batch: the shard saves often and runs long enough to be caught midway.
        $env:SLEAPPS_FRAMES_PER_PART = '4'
        $env:SLEAPPS_BATCH_SIZE = '1'
        $predict = Join-Path $env:SLEAPPS_EXAMPLES 'predict.sbatch'
        $job = Submit @('--array=0-3', '--export=ALL', "--output=$out/predict-%A_%a.log", $predict)

        # Cancel shard 1 once it has saved its first part.
        $part = Join-Path $out 'small_robot.predictions.shard-0001-of-0004.slp'
        $firstSaved = Join-Path "$part.parts" 'part-000001.slp'
        $deadline = [DateTime]::UtcNow.AddSeconds(180)
        while (-not (Test-Path $firstSaved) -and (squeue -h -j "$($job)_1" 2>$null) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        scancel "$($job)_1"
        Wait-Job @($job)
        Get-JobState "$($job)_1" | Should -Be 'CANCELLED' -Because 'shard 1 must be cancelled while it runs'
        $part | Should -Not -Exist -Because 'shard 1 was cancelled before it finished its part'
        $saved = @(Get-ChildItem "$part.parts" -Filter 'part-*.slp')
        $saved.Count | Should -BeGreaterThan 0

        # The join refuses the incomplete set, names the shard and leaves no file.
        $errors = $null
        Join-SleapPrediction -OutputDirectory $out -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'PartsNotJoinable,SleapPS.Cmdlets.JoinSleapPredictionCommand'
        $errors[0].Exception.Message | Should -BeLike "*the parts of shard 1/4 (frames 42-83, 'small_robot.predictions.shard-0001-of-0004.slp')*are missing. 1 of them is unfinished*run that shard again to finish."
        Join-Path $out 'small_robot.predictions.slp' | Should -Not -Exist
        Join-Path $out 'small_robot_3_frame.predictions.slp' | Should -Exist
        Remove-Item (Join-Path $out 'small_robot_3_frame.predictions.slp')

        # Re-submit the one task: it is still shard 1 of 4, and resumes after its saved parts.
        $again = Submit @('--array=1', '--export=ALL', "--output=$out/again-%A_%a.log", $predict)
        Wait-Job @($again)
        $log = Get-Content (Join-Path $out "again-$($again)_1.log") -Raw
        Get-JobState "$($again)_1" | Should -Be 'COMPLETED' -Because $log
        $log | Should -Match 'Resuming the unfinished run in .*: (\d+) frames were predicted before and are skipped'
        [int]$resumed = [regex]::Match($log, '(\d+) frames were predicted before').Groups[1].Value
        $resumed | Should -BeGreaterThan 0
        $resumed | Should -BeLessThan 42
        $log | Should -Match "predicted into '.*shard-0001-of-0004.slp' \($(42 - $resumed) frames, $resumed resumed"

        Join-SleapPrediction -OutputDirectory $out -ErrorAction Stop
        Assert-SameAsSingleRun $out
    }
}

Describe 'Invoke-SleapPredict -Shard and Join-SleapPrediction on bad input (no cluster needed)' {
    BeforeAll {
        $robot = Import-SleapModel $Model -CacheFolder $Cache
        $bad = Join-Path $Work 'bad'
        New-Item -ItemType Directory -Force $bad | Out-Null
    }

    It 'refuses the shard <Shard> with a clear message' -ForEach @(
        @{ Shard = '5/4'; Message = "The shard '5/4' is out of range: shards of 4 are numbered from 0 to 3 (0-based, as SLURM array task ids are)." }
        @{ Shard = '0/0'; Message = "The shard '0/0' names 0 shards: the number after '/' is how many shards the run has, at least 1." }
        @{ Shard = 'a/b'; Message = "The shard 'a/b' is not of the form i/n (a 0-based index, then the number of shards: 0/4, 1/4, 2/4, 3/4), 'auto' or 'auto/n'." }
    ) {
        $e = { Invoke-SleapPredict -Predictor $robot -Video $Videos -Shard $Shard -OutputDirectory $bad } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'InvalidShard,SleapPS.Cmdlets.InvokeSleapPredictCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Be $Message
        Get-ChildItem $bad | Should -BeNullOrEmpty
    }

    It 'stops before predicting when one of the run''s videos is missing, and refuses -Tracker' {
        $e = { Invoke-SleapPredict -Predictor $robot -Video ($Videos + (Join-Path $Work 'missing.mp4')) -Shard 0/2 -OutputDirectory $bad } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'VideoNotFound,SleapPS.Cmdlets.InvokeSleapPredictCommand'
        $e = { Invoke-SleapPredict -Predictor $robot -Video $Videos -Shard 0/2 -OutputDirectory $bad -Tracker simple } | Should -Throw -PassThru
        $e.Exception.Message | Should -BeLike '-Shard cannot be used with -Tracker simple (each shard sees only its frames*Start-SleapTracker).'
        Get-ChildItem $bad | Should -BeNullOrEmpty
    }

    It 'reports a folder without parts' {
        $errors = $null
        Join-SleapPrediction -OutputDirectory $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'NoParts,SleapPS.Cmdlets.JoinSleapPredictionCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
