#Requires -Version 7.4
# The rough edges a new user hit in real pwsh (issue 11), each as the user met it. Each test failed before its fix.
# Build first (./build.sh), then: ./build.sh Pester

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1') -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
    $Models = Fixture 'models'
    $Cache = Join-Path ([System.IO.Path]::GetTempPath()) 'sleapps-pester-model-cache'
    $RobotVideo = Fixture 'videos', 'small_robot.mp4'
    $PairVideo = Fixture 'videos', 'centered_pair_small.mp4'
    $Single = Import-SleapModel (Join-Path $Models 'minimal_robot.UNet.single_instance') -CacheFolder $Cache
    # The pwsh running these tests, to start a child process whose console output can be captured.
    $Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $Manifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1'))
}

AfterAll {
    $Single.Dispose()
}

Describe '1. Invoke-SleapPredict -OutputPath keeps existing files' {
    BeforeAll {
        $Existing = Join-Path $TestDrive 'session.slp'
        Import-SleapLabels (Fixture 'slp_hdf5', 'small_robot_minimal.slp') | Export-SleapLabels $Existing
        $Before = (Get-FileHash $Existing).Hash
    }

    It 'refuses to replace a file it did not start, and leaves it as it was' {
        { $Single | Invoke-SleapPredict -Video $RobotVideo -Frames '0-2' -OutputPath $Existing -ErrorAction Stop } |
            Should -Throw "The file '$Existing' already exists. Use -Force to replace it, or choose another -OutputPath."
        (Get-FileHash $Existing).Hash | Should -Be $Before
    }

    It 'writes nothing and predicts nothing with -WhatIf' {
        $out = $Single | Invoke-SleapPredict -Video $RobotVideo -Frames '0-2' -OutputPath (Join-Path $TestDrive 'whatif.slp') -WhatIf
        $out | Should -BeNullOrEmpty
        Test-Path (Join-Path $TestDrive 'whatif.slp') | Should -BeFalse
        Test-Path (Join-Path $TestDrive 'whatif.slp.parts') | Should -BeFalse
        (Get-Command Invoke-SleapPredict).Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'replaces it with -Force' {
        $Single | Invoke-SleapPredict -Video $RobotVideo -Frames '0-2' -OutputPath $Existing -Force
        (Import-SleapLabels $Existing).LabeledFrames | Should -HaveCount 3
    }
}

Describe '2. Bracketed file names and patterns that match nothing' {
    BeforeAll {
        $Folder = Join-Path $TestDrive 'brackets'
        New-Item -ItemType Directory $Folder | Out-Null
        Copy-Item -LiteralPath $RobotVideo -Destination (Join-Path $Folder 'robot[1].mp4')
        # A file the bracket would match as a wildcard: it must not be taken instead.
        Copy-Item -LiteralPath (Fixture 'videos', 'small_robot_3_frame.mp4') -Destination (Join-Path $Folder 'robot1.mp4')
        Import-SleapLabels (Fixture 'slp_hdf5', 'small_robot_minimal.slp') | Export-SleapLabels (Join-Path $Folder 'labels[1].slp')
    }

    It 'predicts on robot[1].mp4 given as a string' {
        $labels = $Single | Invoke-SleapPredict -Video (Join-Path $Folder 'robot[1].mp4') -Frames '0-1'
        $labels.Videos[0].Filename | Should -Be (Join-Path $Folder 'robot[1].mp4')
        $labels.LabeledFrames | Should -HaveCount 2
    }

    It 'predicts on robot[1].mp4 piped from Get-ChildItem (bound by PSPath, literally)' {
        $labels = @(Get-ChildItem -LiteralPath (Join-Path $Folder 'robot[1].mp4') | Invoke-SleapPredict -Predictor $Single -Frames '0-1')
        $labels | Should -HaveCount 1
        $labels[0].Videos[0].Filename | Should -Be (Join-Path $Folder 'robot[1].mp4')
        $labels[0].Videos[0].FrameCount | Should -Be 166
    }

    It 'takes -LiteralPath on every cmdlet that reads files' {
        (Get-Command Invoke-SleapPredict).Parameters['LiteralPath'].Aliases | Should -Contain 'PSPath'
        (Get-Command Start-SleapTracker).Parameters['LiteralPath'].Aliases | Should -Contain 'PSPath'
        (Import-SleapLabels -LiteralPath (Join-Path $Folder 'labels[1].slp')).LabeledFrames | Should -HaveCount 2
    }

    It 'reports a pattern that matches nothing on <Name>' -ForEach @(
        @{ Name = 'Import-SleapLabels'; Run = { Import-SleapLabels (Join-Path $Folder 'none*.slp') -ErrorAction Stop } }
        @{ Name = 'Invoke-SleapPredict'; Run = { $Single | Invoke-SleapPredict -Video (Join-Path $Folder 'none*.mp4') -ErrorAction Stop } }
        @{ Name = 'Start-SleapTracker'; Run = { Start-SleapTracker -Path (Join-Path $Folder 'none*.slp') -ErrorAction Stop } }
        @{ Name = 'Get-SleapVideo'; Run = { Get-SleapVideo (Join-Path $Folder 'none*.mp4') -ErrorAction Stop } }
    ) {
        $Run | Should -Throw "No file matches '$(Join-Path $Folder 'none*')*'."
    }
}

Describe '3. Export-SleapLabels stores where the video was found' {
    It 'writes the found path of a video stored as tests/data/..., so that reading the file back finds it without a warning' {
        $labels = Import-SleapLabels (Fixture 'hdf5_format_v1', 'centered_pair_predictions.slp')
        $labels.Videos[0].Filename | Should -Not -Be $labels.Videos[0].ResolvedPath
        $path = Join-Path $TestDrive 'moved.slp'
        $labels | Export-SleapLabels $path
        $back = Import-SleapLabels $path -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $back.Videos[0].Filename | Should -Be $labels.Videos[0].ResolvedPath
        $back.Videos[0].IsAvailable | Should -BeTrue
    }

    It 'keeps the stored path where it still leads to the video' {
        $labels = Import-SleapLabels (Fixture 'slp_hdf5', 'small_robot_minimal.slp')
        $stored = $labels.Videos[0].Filename
        $path = Join-Path (Fixture 'slp_hdf5') "pester-$([guid]::NewGuid().ToString('N')).slp"
        try {
            $labels | Export-SleapLabels $path
            (Import-SleapLabels $path).Videos[0].Filename | Should -Be $stored
        } finally {
            Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue
        }
    }
}

Describe '4. Import-SleapModel refuses models that make no predictor' {
    It 'refuses a centroid and a bottom-up model, naming the models that make a predictor' {
        { Import-SleapModel (Join-Path $Models 'minimal_instance.UNet.centroid'), (Join-Path $Models 'minimal_instance.UNet.bottomup') -CacheFolder $Cache } |
            Should -Throw '*would leave out*minimal_instance.UNet.bottomup*A predictor is made by one single_instance model; a centroid and a centered_instance model*'
    }

    It 'refuses when one of two paths is mistyped, rather than making half a predictor' {
        $typo = Join-Path $Models 'minimal_instance.UNet.centered_instanc'
        { Import-SleapModel (Join-Path $Models 'minimal_instance.UNet.centroid'), $typo -CacheFolder $Cache } |
            Should -Throw "No model was found at '$typo', so no predictor was made.*"
    }
}

Describe '5. Invoke-SleapPredict emits one Labels per video as each completes' {
    It 'emits two Labels for two videos, each with its own video and provenance' {
        $labels = @($Single | Invoke-SleapPredict -Video $RobotVideo, (Fixture 'videos', 'small_robot_3_frame.mp4') -Frames '0-1')
        $labels | Should -HaveCount 2
        $labels[0].Videos.Filename | Should -Be $RobotVideo
        $labels[1].Videos.Filename | Should -Be (Fixture 'videos', 'small_robot_3_frame.mp4')
        $labels[1].LabeledFrames | Should -HaveCount 2
        $labels[0].Provenance['predictor'] | Should -Be 'SingleInstancePredictor'
    }

    It 'stops after the first video with Select-Object -First 1' {
        $first = $Single | Invoke-SleapPredict -Video (Fixture 'videos', 'small_robot_3_frame.mp4'), $RobotVideo, $RobotVideo -Verbose 4>&1 |
            Select-Object -First 1
        # By name: the engine lives in SleapPS's own load context, where PowerShell's type literals do not look.
        $first.GetType().FullName | Should -Be 'SleapPS.Engine.Data.Labels'
        $first.LabeledFrames | Should -HaveCount 3
    }
}

Describe '6. Native OpenCV and FFmpeg messages stay off the console' {
    It 'reports a damaged video only through the error stream' {
        $bad = Join-Path $TestDrive 'damaged.mp4'
        Set-Content -LiteralPath $bad -Value 'not a video'
        $script = "Import-Module '$Manifest'; Get-SleapVideo -LiteralPath '$bad' -ErrorAction SilentlyContinue -ErrorVariable e; 'errors: ' + `$e.Count"
        $console = & $Pwsh -NoLogo -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $console | Should -Not -Match 'moov atom|WARN:|OPENCV|cap\.cpp'
        $console.Trim() | Should -Be 'errors: 1'
    }
}

Describe '7. Formatting' {
    It 'shows nothing in the Maps column of a RawFrame without maps' {
        $raw = $Single | Invoke-SleapPredict -Video $RobotVideo -Frames 0 -Raw
        $line = ($raw | Format-Table | Out-String -Width 120) -split "`n" | Where-Object { $_ -match 'small_robot' }
        $line | Should -Not -Match 'xx'
    }

    It 'emits the provider''s item with -PassThru, so Mode and Length print' {
        $file = Import-SleapLabels (Fixture 'slp_hdf5', 'minimal_instance.slp') | Export-SleapLabels (Join-Path $TestDrive 'pt.slp') -PassThru
        $file.PSPath | Should -Not -BeNullOrEmpty
        $text = $file | Out-String -Width 120
        $text | Should -Match '-a---|-rw-'
        $text | Should -Match ([regex]::Escape("$($file.Length)"))
    }
}

Describe '8. Binding, completion, help and JSON' {
    It 'tracks labels files piped from Get-ChildItem' {
        $folder = Join-Path $TestDrive 'track'
        New-Item -ItemType Directory $folder | Out-Null
        Copy-Item (Fixture 'tracks', 'clip.2node.slp') $folder
        $tracked = @(Get-ChildItem (Join-Path $folder '*.slp') | Start-SleapTracker -Tracker simple)
        $tracked | Should -HaveCount 1
        $tracked[0].Tracks.Count | Should -BeGreaterThan 0
    }

    It 'completes -Codec with codecs, not file names' {
        $line = "Export-SleapVideo -Path out.mp4 -Codec "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'mp4v'
        $completions | Where-Object { $_ -match '[\\/]|\.\w+$' } | Should -BeNullOrEmpty
    }

    It 'shows help without Markdown backticks' {
        $commands = @(Get-Command -Module SleapPS)
        $commands.Count | Should -BeGreaterThan 8
        foreach ($command in $commands) {
            $help = Get-Help $command.Name -Full
            $prose = @($help.Synopsis) + @($help.Description.Text) + @($help.Parameters.Parameter | ForEach-Object { $_.Description.Text })
            ($prose -join "`n") | Should -Not -Match '`' -Because "$($command.Name)'s help is read as plain text"
        }
    }

    It 'converts a Video to JSON without the labels file''s backend bookkeeping' {
        $video = (Import-SleapLabels (Fixture 'slp_hdf5', 'minimal_instance.slp')).Videos[0]
        $json = $video | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.PSObject.Properties.Name | Should -Not -Contain 'BackendMetadata'
        $json.PSObject.Properties.Name | Should -Contain 'Filename'
    }

    It 'converts an imported labels file''s video to JSON with its real size, read from the video''s header' {
        $text = Import-SleapLabels (Fixture 'slp_hdf5', 'minimal_instance.slp') | ForEach-Object Videos | ConvertTo-Json
        $json = $text | ConvertFrom-Json
        # centered_pair_low_quality.mp4 (the same 1100 frames of 384 x 384 grayscale as videos/centered_pair_small.mp4)
        $json.FrameCount | Should -Be 1100
        $json.Height | Should -Be 384
        $json.Width | Should -Be 384
        $json.Channels | Should -Be 1
        $json.Fps | Should -Be 15
        foreach ($key in 'BackendMetadata', '"backend"', 'input_format', '"bgr"', 'convert_range') {
            $text | Should -Not -CMatch ([regex]::Escape($key)) -Because 'the labels file''s backend dictionary is bookkeeping, not the video'
        }
    }

    It 'gives a labels file that names centered_pair_small.mp4 its size, and leaves a missing video''s size unknown' {
        $labels = Import-SleapLabels (Fixture 'slp_hdf5', 'minimal_instance.slp')
        $labels.Videos[0].Filename = $PairVideo
        $labels.Videos[0].ResolvedPath = $PairVideo
        $path = Join-Path $TestDrive 'pair.slp'
        $labels | Export-SleapLabels $path
        $json = Import-SleapLabels $path | ForEach-Object Videos | ConvertTo-Json | ConvertFrom-Json
        $json.Filename | Should -Be $PairVideo
        ($json.FrameCount, $json.Height, $json.Width, $json.Channels) | Should -Be @(1100, 384, 384, 1)

        $missing = Import-SleapLabels (Fixture 'slp_hdf5', 'dance.mp4.labels.slp') -WarningAction SilentlyContinue | ForEach-Object Videos | ConvertTo-Json | ConvertFrom-Json
        ($missing.FrameCount, $missing.Height, $missing.Width, $missing.Channels) | Should -Be @($null, $null, $null, $null)
    }

    It 'gives frames embedded in a .pkg.slp the size their dataset stores' {
        $package = [System.IO.Path]::GetFullPath((Join-Path $Fixtures '..' 'sleap-nn' 'datasets' 'minimal_instance.pkg.slp'))
        $json = Import-SleapLabels -LiteralPath $package | ForEach-Object Videos | ConvertTo-Json | ConvertFrom-Json
        ($json.FrameCount, $json.Height, $json.Width, $json.Channels) | Should -Be @(1, 384, 384, 1)
    }
}

Describe '9. examples/quickstart.ps1' {
    It 'runs the README pipeline on the fixtures: predict, track, export, evaluate, render' {
        $output = Join-Path $TestDrive 'quickstart'
        $console = & $Pwsh -NoLogo -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot '..' '..' 'examples' 'quickstart.ps1') -OutputFolder $output 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $console
        foreach ($name in 'predictions.slp', 'tracked.slp', 'tracked.analysis.h5', 'tracked.csv', 'tracked.mp4') {
            Join-Path $output $name | Should -Exist
        }
        $console | Should -Match 'mOKS'
        $console | Should -Not -Match 'WARNING'
    }
}
