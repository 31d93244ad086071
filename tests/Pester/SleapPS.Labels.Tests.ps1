#Requires -Version 7.4
# Labels I/O through the cmdlets, on SLEAP's own test data: Import-SleapLabels, Export-SleapLabels,
# ConvertTo-SleapTable. Build first (./build.ps1), then: Invoke-Pester ./tests/Pester

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1') -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }

    $PredictionsPath = Fixture 'hdf5_format_v1', 'centered_pair_predictions.slp'
    $MinimalPath = Fixture 'slp_hdf5', 'minimal_instance.slp'
    $Predictions = Import-SleapLabels -Path $PredictionsPath
    $Minimal = Import-SleapLabels -Path $MinimalPath

    # Every point of every instance, frame by frame, as one flat list of numbers (NaN kept as NaN).
    function Get-AllCoordinates($Labels) {
        foreach ($frame in $Labels.LabeledFrames) {
            foreach ($instance in $frame.Instances) {
                foreach ($point in $instance.Points) { $point.X; $point.Y }
            }
        }
    }
}

Describe 'Import-SleapLabels' {
    It 'reads the centered pair predictions: 1100 frames, 2274 predicted instances, 27 tracks, 24 nodes' {
        $Predictions.LabeledFrames | Should -HaveCount 1100
        $Predictions.InstanceCount | Should -Be 2274
        $Predictions.Tracks | Should -HaveCount 27
        $Predictions.Skeleton.Nodes | Should -HaveCount 24
        @($Predictions.LabeledFrames.Instances | Where-Object { -not $_.IsPredicted }) | Should -HaveCount 0
        $Predictions.SourcePath | Should -Be $PredictionsPath
    }

    It 'reads the values stored in the file' {
        $first = $Predictions.LabeledFrames[0].Instances[0]
        $first.Track.Name | Should -Be '1'
        $first.Score | Should -Be 39.072227478027344
        $first.Points[0].X | Should -Be 201
        $first.Points[0].Y | Should -Be 186
        $first.Points[0].Score | Should -Be 0.8258838057518005
    }

    It 'reads user instances with their tracks from tracks/clip.slp' {
        $clip = Import-SleapLabels -Path (Fixture 'tracks', 'clip.slp')
        $clip.LabeledFrames | Should -HaveCount 1500
        $clip.InstanceCount | Should -Be 3000
        $clip.Tracks.Name | Should -Be @('female', 'male')
        $clip.LabeledFrames[0].Instances[0].IsPredicted | Should -BeFalse
    }

    It 'reads the minimal labels, in .slp and in the legacy JSON format, to the same points' {
        $json = Import-SleapLabels -Path (Fixture 'json_format_v2', 'minimal_instance.json')
        $Minimal.LabeledFrames | Should -HaveCount 1
        $Minimal.InstanceCount | Should -Be 2
        $Minimal.Skeleton.NodeNames | Should -Be @('A', 'B')
        $Minimal.LabeledFrames[0].Instances[0].Points[0].X | Should -Be 92.65220773208894
        Get-AllCoordinates $json | Should -Be @(Get-AllCoordinates $Minimal)
    }

    It 'reads every .slp file of the fixtures' {
        $files = Get-ChildItem -Path $Fixtures -Recurse -Filter *.slp
        $files.Count | Should -BeGreaterThan 10
        foreach ($file in $files) {
            { Import-SleapLabels -Path $file.FullName -ErrorAction Stop } | Should -Not -Throw -Because $file.FullName
        }
    }

    It 'reads several files given at once, one Labels object each' {
        $both = @(Import-SleapLabels -Path $MinimalPath, $PredictionsPath)
        $both | Should -HaveCount 2
        $both[0].InstanceCount | Should -Be 2
        $both[1].InstanceCount | Should -Be 2274
    }

    It 'finds the video that the file names by a path from another machine (tests/data/...)' {
        $Predictions.Videos[0].Filename | Should -Be 'tests/data/json_format_v1/centered_pair_low_quality.mp4'
        $Predictions.Videos[0].IsAvailable | Should -BeTrue
        $Predictions.Videos[0].ResolvedPath | Should -Be (Fixture 'json_format_v1', 'centered_pair_low_quality.mp4')
    }

    It 'reports a missing file by its path and returns nothing' {
        $missing = Join-Path $TestDrive 'no-such-file.slp'
        $result = Import-SleapLabels -Path $missing -ErrorAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].ToString() | Should -BeLike "*$missing*"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { Import-SleapLabels -Path $missing -ErrorAction Stop } | Should -Throw "*$missing*"
    }

    It 'rejects a file that is not HDF5, naming it' {
        $notHdf5 = Join-Path $TestDrive 'not-hdf5.slp'
        Set-Content -LiteralPath $notHdf5 -Value 'this is text, not HDF5'
        { Import-SleapLabels -Path $notHdf5 -ErrorAction Stop } | Should -Throw "*$notHdf5*"
    }

    It 'rejects a truncated .slp file, naming it' {
        $truncated = Join-Path $TestDrive 'truncated.slp'
        $bytes = [System.IO.File]::ReadAllBytes($PredictionsPath)
        [System.IO.File]::WriteAllBytes($truncated, [System.ArraySegment[byte]]::new($bytes, 0, [int]($bytes.Length / 2)).ToArray())
        { Import-SleapLabels -Path $truncated -ErrorAction Stop } | Should -Throw "*$truncated*"
    }
}

Describe 'Export-SleapLabels' {
    Context 'SLEAP labels (.slp)' {
        It 'round-trips the predictions: same frames, tracks, scores and every point' {
            $path = Join-Path $TestDrive 'predictions.slp'
            Export-SleapLabels -InputObject $Predictions -Path $path
            $path | Should -Exist
            $back = Import-SleapLabels -Path $path
            $back.LabeledFrames | Should -HaveCount 1100
            $back.InstanceCount | Should -Be 2274
            $back.Tracks.Name | Should -Be $Predictions.Tracks.Name
            $back.Skeleton.NodeNames | Should -Be $Predictions.Skeleton.NodeNames
            $back.LabeledFrames.FrameIndex | Should -Be $Predictions.LabeledFrames.FrameIndex
            $back.LabeledFrames.Instances.Score | Should -Be $Predictions.LabeledFrames.Instances.Score
            # NaN -eq NaN is false, so compare the text of the numbers.
            (Get-AllCoordinates $back) -join ',' | Should -Be ((Get-AllCoordinates $Predictions) -join ',')
        }

        It 'takes the labels from the pipeline' {
            $path = Join-Path $TestDrive 'piped.slp'
            $Minimal | Export-SleapLabels -Path $path
            (Import-SleapLabels -Path $path).InstanceCount | Should -Be 2
        }

        It 'resolves a TestDrive: path like any PowerShell path' {
            Export-SleapLabels -InputObject $Minimal -Path 'TestDrive:\drive-path.slp'
            Join-Path $TestDrive 'drive-path.slp' | Should -Exist
        }

        It 'returns the written file with -PassThru' {
            $path = Join-Path $TestDrive 'passthru.slp'
            $result = Export-SleapLabels -InputObject $Minimal -Path $path -PassThru
            $result | Should -Not -BeNullOrEmpty
        }
    }

    Context 'analysis HDF5 and CSV' {
        It 'writes an analysis HDF5 file (from -Format Analysis)' {
            $path = Join-Path $TestDrive 'predictions.analysis.h5'
            Export-SleapLabels -InputObject $Predictions -Path $path -Format Analysis
            $signature = [System.IO.File]::ReadAllBytes($path)[0..7]
            $signature | Should -Be @(0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A)
        }

        It "writes SLEAP's CSV layout: track, frame_idx, instance.score, then x, y, score per node" {
            $path = Join-Path $TestDrive 'predictions.csv'
            Export-SleapLabels -InputObject $Predictions -Path $path
            $lines = [System.IO.File]::ReadAllLines($path)
            $expected = @('track', 'frame_idx', 'instance.score') +
                @(foreach ($node in $Predictions.Skeleton.NodeNames) { "$node.x"; "$node.y"; "$node.score" })
            $lines[0] | Should -Be ($expected -join ',')
            $lines.Count | Should -Be (1 + 2274)
        }
    }

    Context 'safety' {
        It '-WhatIf writes nothing' {
            $path = Join-Path $TestDrive 'whatif.slp'
            Export-SleapLabels -InputObject $Minimal -Path $path -WhatIf
            $path | Should -Not -Exist
            @(Get-ChildItem -LiteralPath $TestDrive -Filter 'whatif*') | Should -HaveCount 0
        }

        It 'refuses to overwrite a file without -Force, leaving it untouched' {
            $path = Join-Path $TestDrive 'existing.slp'
            Set-Content -LiteralPath $path -Value 'keep me'
            { Export-SleapLabels -InputObject $Minimal -Path $path -ErrorAction Stop } | Should -Throw "*$path*"
            Get-Content -LiteralPath $path | Should -Be 'keep me'
        }

        It 'overwrites with -Force' {
            $path = Join-Path $TestDrive 'forced.slp'
            Set-Content -LiteralPath $path -Value 'replace me'
            Export-SleapLabels -InputObject $Minimal -Path $path -Force
            (Import-SleapLabels -Path $path).InstanceCount | Should -Be 2
        }

        It 'reports a missing output folder by name and writes nothing' {
            $folder = Join-Path $TestDrive 'no-such-folder'
            { Export-SleapLabels -InputObject $Minimal -Path (Join-Path $folder 'out.slp') -ErrorAction Stop } |
                Should -Throw "*$folder*"
            $folder | Should -Not -Exist
        }

        It 'rejects an extension it cannot tell the format of' {
            $path = Join-Path $TestDrive 'labels.unknown'
            { Export-SleapLabels -InputObject $Minimal -Path $path -ErrorAction Stop } | Should -Throw "*labels.unknown*"
            $path | Should -Not -Exist
        }

        It 'leaves no temporary file behind' {
            $folder = Join-Path $TestDrive 'clean'
            New-Item -ItemType Directory -Path $folder | Out-Null
            Export-SleapLabels -InputObject $Minimal -Path (Join-Path $folder 'only.slp')
            (Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be 'only.slp'
        }
    }
}

Describe 'ConvertTo-SleapTable' {
    It 'makes one row per point with video, frame, track, instance, node, x, y, score' {
        $rows = @(ConvertTo-SleapTable -InputObject $Minimal)
        $rows | Should -HaveCount 4
        foreach ($name in 'Video', 'Frame', 'Track', 'Instance', 'Node', 'X', 'Y', 'Score', 'Visible', 'IsPredicted') {
            $rows[0].PSObject.Properties.Name | Should -Contain $name
        }
        $rows.Node | Should -Be @('A', 'B', 'A', 'B')
        $rows[0].X | Should -Be 92.65220773208894
        $rows[0].Frame | Should -Be 0
        $rows[0].IsPredicted | Should -BeFalse
    }

    It 'makes one row per instance with -By Instance' {
        @(ConvertTo-SleapTable -InputObject $Predictions -By Instance) | Should -HaveCount 2274
    }

    It 'feeds Where-Object: the confident points are those with a score of at least 0.9' {
        $rows = @($Predictions | ConvertTo-SleapTable)
        $confident = @($rows | Where-Object Score -GE 0.9)
        $confident.Count | Should -BeGreaterThan 0
        $confident.Count | Should -BeLessThan $rows.Count
        $confident | ForEach-Object { $_.Score | Should -BeGreaterOrEqual 0.9 }
    }
}
