#Requires -Version 7.4
# Models, tracking, evaluation and rendering through the cmdlets, on SLEAP's own test data.
# Build first (./build.ps1), then: Invoke-Pester ./tests/Pester

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1') -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
    $Models = Fixture 'models'
    $Cache = Join-Path $TestDrive 'model-cache'
}

Describe 'Import-SleapModel' {
    It 'makes a top-down predictor from a centroid and a centered-instance model' {
        $predictor = Import-SleapModel (Join-Path $Models 'minimal_instance.UNet.centroid'), (Join-Path $Models 'minimal_instance.UNet.centered_instance') -CacheFolder $Cache
        $predictor.Kind | Should -Be 'TopDown'
        $predictor.Models | Should -HaveCount 2
        $predictor.Device | Should -Be 'Cpu'
        $predictor.Settings.PeakThreshold | Should -Be 0.2
        $predictor.Dispose()
    }

    It 'takes folders from Get-ChildItem and settings as parameters' {
        $predictor = Get-ChildItem $Models -Directory -Filter 'minimal_instance.UNet.bottomup' |
            Import-SleapModel -CacheFolder $Cache -BatchSize 8 -PeakThreshold 0.3
        $predictor.Kind | Should -Be 'BottomUp'
        $predictor.Settings.BatchSize | Should -Be 8
        $predictor.Settings.PeakThreshold | Should -Be 0.3
        $predictor.Dispose()
    }

    It 'refuses two centroid models' {
        { Import-SleapModel (Join-Path $Models 'minimal_instance.UNet.centroid'), (Join-Path $Models 'minimal_instance.UNet.centroid') -CacheFolder $Cache -ErrorAction Stop } |
            Should -Throw
    }
}

Describe 'Start-SleapTracker' {
    It 're-tracks the centered pair predictions into 27 tracks with the simple tracker, as SLEAP does' {
        $tracked = Import-SleapLabels (Fixture 'hdf5_format_v1', 'centered_pair_predictions.slp') | Start-SleapTracker -Tracker simple
        $tracked.Tracks | Should -HaveCount 27
    }

    It 'keeps at most two tracks with simplemaxtracks' {
        $tracked = Import-SleapLabels (Fixture 'hdf5_format_v1', 'centered_pair_predictions.slp') | Start-SleapTracker -Tracker simplemaxtracks -MaxTracks 2
        $tracked.Tracks | Should -HaveCount 2
    }
}

Describe 'Measure-SleapAccuracy' {
    It 'computes the metrics SLEAP stored for the bottom-up model' {
        $folder = Join-Path $Models 'minimal_instance.UNet.bottomup'
        $metrics = Measure-SleapAccuracy -GroundTruth (Join-Path $folder 'labels_gt.val.slp') -Predicted (Join-Path $folder 'labels_pr.val.slp')
        $metrics.FrameCount | Should -Be 1
        $metrics.MatchedCount | Should -Be 2
        $metrics.PerNode | Should -HaveCount 2
    }
}

Describe 'Export-SleapVideo' {
    It 'renders five frames of the tracked clip to an .avi' {
        $path = Join-Path $TestDrive 'clip.avi'
        $file = Import-SleapLabels (Fixture 'tracks', 'clip.slp') | Export-SleapVideo $path -Frames '0-4' -PassThru
        $file.FullName | Should -Be $path
        (Get-SleapVideo $path).FrameCount | Should -Be 5
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.mp4'
        Import-SleapLabels (Fixture 'tracks', 'clip.slp') | Export-SleapVideo $path -Frames '0-4' -WhatIf
        Test-Path $path | Should -BeFalse
    }
}
