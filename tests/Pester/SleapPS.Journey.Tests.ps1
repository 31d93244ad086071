#Requires -Version 7.4
# A user's journey through every cmdlet in real pwsh, on SLEAP's fixture models and videos: predict with each predictor
# kind, track, evaluate, render, export every format, and resume a stopped run. Small frame ranges keep it short.
# Build first (./build.sh), then: ./build.sh Pester

BeforeAll {
    $Manifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1'))
    Import-Module $Manifest -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
    function Model([string] $Name) { Fixture 'models', $Name }
    $Cache = Join-Path ([System.IO.Path]::GetTempPath()) 'sleapps-pester-model-cache'
    $PairVideo = Fixture 'videos', 'centered_pair_small.mp4'
    $RobotVideo = Fixture 'videos', 'small_robot.mp4'
    $FliesVideo = Fixture 'tracks', 'clip.mp4'
}

Describe 'Invoke-SleapPredict with each predictor kind' {
    It '<Kind> on frames <Frames> of <Video>' -ForEach @(
        @{ Kind = 'SingleInstance'; Models = @('minimal_robot.UNet.single_instance'); Video = 'small_robot.mp4'; Frames = '0-3'; PerFrame = 1 }
        @{ Kind = 'TopDown'; Models = @('minimal_instance.UNet.centroid', 'minimal_instance.UNet.centered_instance'); Video = 'centered_pair_small.mp4'; Frames = '0-3'; PerFrame = 2 }
        @{ Kind = 'BottomUp'; Models = @('minimal_instance.UNet.bottomup'); Video = 'centered_pair_small.mp4'; Frames = '0-3'; PerFrame = 2 }
        @{ Kind = 'TopDownMultiClass'; Models = @('minimal_instance.UNet.centroid', 'min_tracks_2node.UNet.topdown_multiclass'); Video = 'clip.mp4'; Frames = '0-1'; PerFrame = 2 }
        @{ Kind = 'BottomUpMultiClass'; Models = @('min_tracks_2node.UNet.bottomup_multiclass'); Video = 'clip.mp4'; Frames = '0-1'; PerFrame = 2 }
    ) {
        $videoPath = if ($Video -eq 'clip.mp4') { $FliesVideo } else { Fixture 'videos', $Video }
        $predictor = Import-SleapModel ($Models | ForEach-Object { Model $_ }) -CacheFolder $Cache
        try {
            $predictor.Kind | Should -Be $Kind
            $labels = $predictor | Invoke-SleapPredict -Video $videoPath -Frames $Frames
            $frameCount = ($Frames -split '-')[-1] - ($Frames -split '-')[0] + 1
            $labels.LabeledFrames | Should -HaveCount $frameCount
            $labels.LabeledFrames.FrameIndex | Should -Be (0..($frameCount - 1))
            foreach ($frame in $labels.LabeledFrames) {
                $frame.Instances.Count | Should -BeLessOrEqual $PerFrame
                $frame.Instances | ForEach-Object { $_.IsPredicted | Should -BeTrue }
            }
            $labels.InstanceCount | Should -BeGreaterThan 0
            $labels.Provenance['predictor'] | Should -Be "$($Kind)Predictor"
            if ($Kind -like '*MultiClass') {
                # Multi-class models name their tracks after their classes.
                $labels.Tracks.Count | Should -BeGreaterThan 0
            }
        } finally {
            $predictor.Dispose()
        }
    }

    It 'tracks while predicting with -Tracker' {
        $labels = Import-SleapModel (Model 'minimal_instance.UNet.bottomup') -CacheFolder $Cache |
            Invoke-SleapPredict -Video $PairVideo -Frames '0-9' -Tracker simple -MaxTracks 2
        $labels.Tracks | Should -HaveCount 2
        @($labels.LabeledFrames.Instances | Where-Object { $null -eq $_.Track }) | Should -HaveCount 0
    }

    It 'emits per-frame arrays with -Raw, and maps with -IncludeConfidenceMaps' {
        $raw = @(Import-SleapModel (Model 'minimal_instance.UNet.bottomup') -CacheFolder $Cache |
            Invoke-SleapPredict -Video $PairVideo -Frames '2,0' -Raw -IncludeConfidenceMaps)
        $raw | Should -HaveCount 2
        $raw.FrameIndex | Should -Be @(2, 0) -Because "frames come in the order given"
        $raw[0].Maps.Count | Should -BeGreaterThan 0
    }
}

Describe 'Start-SleapTracker, Measure-SleapAccuracy, Export-SleapVideo, ConvertTo-SleapTable' {
    BeforeAll {
        $Predictions = Import-SleapModel (Model 'minimal_instance.UNet.centroid'), (Model 'minimal_instance.UNet.centered_instance') -CacheFolder $Cache |
            Invoke-SleapPredict -Video $PairVideo -Frames '0-9'
    }

    It 'tracks predictions with <_>' -ForEach 'simple', 'flow', 'simplemaxtracks', 'flowmaxtracks' {
        $options = if ($_ -like '*maxtracks') { @{ MaxTracks = 2 } } else { @{} }
        $tracked = $Predictions | Start-SleapTracker -Tracker $_ @options
        $tracked.LabeledFrames | Should -HaveCount 10
        $tracked.Tracks.Count | Should -BeGreaterThan 0
        if ($options.MaxTracks) { $tracked.Tracks.Count | Should -BeLessOrEqual 2 }
        @($Predictions.Tracks) | Should -HaveCount 0 -Because 'the input is left as it was'
    }

    It 'evaluates predictions on labelled frames against their ground truth' {
        $groundTruth = Fixture 'slp_hdf5', 'minimal_instance.slp'
        $predicted = Import-SleapModel (Model 'minimal_instance.UNet.centroid'), (Model 'minimal_instance.UNet.centered_instance') -CacheFolder $Cache |
            Invoke-SleapPredict -Labels $groundTruth
        $metrics = Measure-SleapAccuracy -GroundTruth $groundTruth -Predicted $predicted
        $metrics.MatchedCount | Should -Be 2
        $metrics.MeanOks | Should -BeGreaterThan 0.5
        $metrics.PerNode.Node | Should -Be @('A', 'B')
    }

    It 'renders the predictions to <_>' -ForEach '.mp4', '.avi' {
        $path = Join-Path $TestDrive "render$_"
        $file = $Predictions | Export-SleapVideo $path -Frames '0-4' -PassThru
        $file.FullName | Should -Be $path
        (Get-SleapVideo $path).FrameCount | Should -Be 5
    }

    It 'renders one frame to a .png' {
        $file = $Predictions | Export-SleapVideo (Join-Path $TestDrive 'frame.png') -Frames '3' -PassThru
        $file.Length | Should -BeGreaterThan 0
    }

    It 'flattens predictions to points and instances' {
        $points = @($Predictions | ConvertTo-SleapTable)
        $instances = @($Predictions | ConvertTo-SleapTable -By Instance)
        $points.Count | Should -Be ($Predictions.InstanceCount * 2)
        $instances.Count | Should -Be $Predictions.InstanceCount
        $points[0].Node | Should -BeIn @('A', 'B')
    }
}

Describe 'Export-SleapLabels in every format, read back' {
    BeforeAll {
        $Tracked = Import-SleapModel (Model 'minimal_instance.UNet.bottomup') -CacheFolder $Cache |
            Invoke-SleapPredict -Video $PairVideo -Frames '0-4' -Tracker simple -MaxTracks 2
    }

    It 'writes .slp that reads back to the same frames, instances and tracks' {
        $path = Join-Path $TestDrive 'tracked.slp'
        $Tracked | Export-SleapLabels $path
        $back = Import-SleapLabels $path
        $back.LabeledFrames.FrameIndex | Should -Be $Tracked.LabeledFrames.FrameIndex
        $back.InstanceCount | Should -Be $Tracked.InstanceCount
        $back.Tracks.Name | Should -Be $Tracked.Tracks.Name
        $back.Videos[0].IsAvailable | Should -BeTrue
    }

    It 'writes analysis HDF5 that reads back with the same tracks' {
        $path = Join-Path $TestDrive 'tracked.analysis.h5'
        $Tracked | Export-SleapLabels $path -Format Analysis
        $back = Import-SleapLabels $path
        $back.Tracks | Should -HaveCount $Tracked.Tracks.Count
        $back.InstanceCount | Should -Be $Tracked.InstanceCount
    }

    It 'writes CSV with one row per instance and frame' {
        $path = Join-Path $TestDrive 'tracked.csv'
        $Tracked | Export-SleapLabels $path
        $rows = @(Import-Csv $path)
        $rows.Count | Should -Be $Tracked.InstanceCount
        $rows[0].PSObject.Properties.Name | Should -Contain 'frame_idx'
    }
}

Describe 'Invoke-SleapPredict -OutputPath resumes after Stop' {
    It 'keeps the frames of a stopped run, and the same command finishes it to what an uninterrupted run writes' {
        $output = Join-Path $TestDrive 'run.slp'
        $command = "Import-SleapModel '$(Model 'minimal_instance.UNet.bottomup')' -CacheFolder '$Cache' | " +
            "Invoke-SleapPredict -Video '$PairVideo' -Frames '0-39' -BatchSize 4 -OutputPath '{0}'"

        # Stop the run after a few batches, as Ctrl+C would, in a runspace of this pwsh.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$Manifest'; " + ($command -f $output))
            $running = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            while (-not ($ps.Streams.Progress | Where-Object { $_.StatusDescription -match '^(8|9|1\d|2\d) of 40' }) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 20
            }
            $ps.Stop()
            { $ps.EndInvoke($running) } | Should -Throw
        } finally {
            $ps.Dispose()
        }
        Test-Path $output | Should -BeFalse
        $parts = @(Get-ChildItem -LiteralPath "$output.parts" -Filter 'part-*.slp')
        $parts.Count | Should -BeGreaterThan 0

        # The same command resumes (and says so), then writes the whole run.
        Invoke-Expression ($command -f $output) -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings -join "`n" | Should -Match 'Resuming the unfinished run'
        Test-Path "$output.parts" | Should -BeFalse

        Invoke-Expression ($command -f (Join-Path $TestDrive 'straight.slp'))
        $resumed = Import-SleapLabels $output
        $straight = Import-SleapLabels (Join-Path $TestDrive 'straight.slp')
        $resumed.LabeledFrames.FrameIndex | Should -Be $straight.LabeledFrames.FrameIndex
        $resumed.LabeledFrames.Instances.Points.X | Should -Be $straight.LabeledFrames.Instances.Points.X
    }
}
