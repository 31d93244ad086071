#Requires -Version 7.4
# Every object SleapPS emits, printed by real pwsh's formatter at 80 and 120 columns: each table keeps the columns a
# user needs (none dropped for lack of width), and no cell shows placeholder text.
# Build first (./build.sh), then: ./build.sh Pester

BeforeDiscovery {
    # The object kinds and the columns each table must show, whatever the console width.
    $Kinds = @(
        @{ Kind = 'Labels'; Columns = 'Videos', 'Frames', 'Instances', 'Tracks', 'Skeleton', 'Source' }
        @{ Kind = 'Video'; Columns = 'Name', 'Frames', 'Height', 'Width', 'Ch', 'Fps', 'Found', 'ResolvedPath' }
        @{ Kind = 'LabeledFrame'; Columns = 'Video', 'FrameIndex', 'Instances', 'User', 'Predicted' }
        @{ Kind = 'Instance'; Columns = 'Track', 'Predicted', 'Points', 'Skeleton' }
        @{ Kind = 'PredictedInstance'; Columns = 'Track', 'Score', 'TrackingScore', 'Points', 'Skeleton' }
        @{ Kind = 'Track'; Columns = 'Name', 'SpawnedOn' }
        @{ Kind = 'Skeleton'; Columns = 'Name', 'NodeCount', 'EdgeCount', 'Nodes' }
        @{ Kind = 'Point'; Columns = 'X', 'Y', 'Visible', 'Score' }
        @{ Kind = 'PointRow'; Columns = 'Video', 'Frame', 'Track', 'Instance', 'Node', 'X', 'Y', 'Score' }
        @{ Kind = 'Predictor'; Columns = 'Kind', 'Models', 'Skeleton', 'Device', 'Batch', 'Threshold' }
        @{ Kind = 'EvaluationMetrics'; Columns = 'Frames', 'Matched', 'mOKS', 'OKS mAP', 'OKS mAR', 'mPCK', 'Dist p50', 'Dist p95', 'Vis prec', 'Vis rec' }
        @{ Kind = 'NodeAccuracy'; Columns = 'Node', 'mPCK', 'Dist avg', 'p50', 'p75', 'p90', 'p95', 'p99', 'Found' }
        @{ Kind = 'RawFrame'; Columns = 'Video', 'FrameIndex', 'NValid', 'Instances', 'Maps' }
        @{ Kind = 'BatchVideoResult'; Columns = 'Status', 'Frames', 'Seconds', 'Fps', 'Inst/Fr', 'Video', 'Error' }
        @{ Kind = 'FileInfo'; Columns = 'Mode|UnixMode', 'LastWriteTime', 'Length|Size', 'Name' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1') -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
    $Cache = Join-Path ([System.IO.Path]::GetTempPath()) 'sleapps-pester-model-cache'

    $labels = Import-SleapLabels (Fixture 'hdf5_format_v1', 'centered_pair_predictions.slp')
    $user = Import-SleapLabels (Fixture 'tracks', 'clip.slp')
    $predictor = Import-SleapModel (Fixture 'models', 'minimal_instance.UNet.centroid'), (Fixture 'models', 'minimal_instance.UNet.centered_instance') -CacheFolder $Cache
    $bottomUp = Join-Path (Fixture 'models') 'minimal_instance.UNet.bottomup'
    $metrics = Measure-SleapAccuracy (Join-Path $bottomUp 'labels_gt.val.slp') (Join-Path $bottomUp 'labels_pr.val.slp')
    $Objects = @{
        Labels = $labels
        Video = Get-SleapVideo -Labels $labels
        LabeledFrame = $labels.LabeledFrames[0]
        Instance = $user.LabeledFrames[0].Instances[0]
        PredictedInstance = $labels.LabeledFrames[0].Instances[0]
        Track = $labels.Tracks[0]
        Skeleton = $labels.Skeleton
        Point = $labels.LabeledFrames[0].Instances[0].Points[0]
        PointRow = ConvertTo-SleapTable $labels | Select-Object -First 3
        Predictor = $predictor
        EvaluationMetrics = $metrics
        NodeAccuracy = $metrics.PerNode
        RawFrame = $predictor | Invoke-SleapPredict -Video (Fixture 'videos', 'centered_pair_small.mp4') -Frames 0 -Raw
        BatchVideoResult = $predictor | Invoke-SleapPredict -Video (Fixture 'videos', 'centered_pair_small.mp4') -Frames 0 -OutputDirectory (Join-Path $TestDrive 'batch') -ProgressReporting None
        FileInfo = Import-SleapLabels (Fixture 'slp_hdf5', 'minimal_instance.slp') | Export-SleapLabels (Join-Path $TestDrive 'f.slp') -PassThru
    }
}

AfterAll {
    $predictor.Dispose()
}

Describe 'Default tables at <_> columns' -ForEach 80, 120 {
    BeforeAll { $Width = $_ }

    It '<Kind> shows <Columns>' -ForEach $Kinds {
        $text = $Objects[$Kind] | Out-String -Width $Width
        $lines = $text -split "`r?`n" | ForEach-Object { $_ -replace '\e\[[0-9;]*m', '' }
        $header = $lines | Where-Object { $_ -match '\S' } | Select-Object -First 1
        if ($Kind -eq 'FileInfo') {
            $header = $lines | Where-Object { $_ -match 'LastWriteTime' } | Select-Object -First 1
        }
        foreach ($column in $Columns) {
            $header | Should -Match "(^|\s)($column)(\s|$)" -Because "the $Kind table at $Width columns must show $column`n$text"
        }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $text | Should -Not -Match '(^|\s)xx(\s|$)'
    }
}
