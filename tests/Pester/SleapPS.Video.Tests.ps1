#Requires -Version 7.4
# Video access through Get-SleapVideo, on SLEAP's own test videos. Build first (./build.ps1),
# then: Invoke-Pester ./tests/Pester

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1') -Force -ErrorAction Stop
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
}

Describe 'Get-SleapVideo -Path' {
    It 'describes an RGB movie: small_robot.mp4 is 166 frames of 320x560x3 at 30 fps' {
        $video = Get-SleapVideo -Path (Fixture 'videos', 'small_robot.mp4')
        $video | Should -HaveCount 1
        $video.Backend | Should -Be 'Media'
        $video.IsAvailable | Should -BeTrue
        $video.FrameCount | Should -Be 166
        $video.Height | Should -Be 320
        $video.Width | Should -Be 560
        $video.Channels | Should -Be 3
        $video.Fps | Should -Be 30
    }

    It 'describes a grayscale movie as one channel, as SLEAP reads it' {
        $video = Get-SleapVideo -Path (Fixture 'videos', 'centered_pair_small.mp4')
        $video.FrameCount | Should -Be 1100
        $video.Height | Should -Be 384
        $video.Width | Should -Be 384
        $video.Channels | Should -Be 1
        $video.Fps | Should -Be 15
    }

    It 'takes several paths and wildcards, one video each' {
        @(Get-SleapVideo -Path (Fixture 'videos', 'small_robot.mp4'), (Fixture 'tracks', 'clip.mp4')) | Should -HaveCount 2
        $all = @(Get-SleapVideo -Path (Fixture 'videos', '*.mp4'))
        $all | Should -HaveCount 3
        $all.FrameCount | Should -Contain 3
    }

    It 'takes paths from the pipeline' {
        $videos = @(Get-ChildItem -Path (Fixture 'videos') -Filter 'small_robot*.mp4' | Get-SleapVideo)
        $videos | Should -HaveCount 2
        ($videos.FrameCount | Sort-Object) | Should -Be @(3, 166)
    }

    It 'reports a missing file by its path' {
        $missing = Join-Path $TestDrive 'no-such-video.mp4'
        $result = Get-SleapVideo -Path $missing -ErrorAction SilentlyContinue -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].ToString() | Should -BeLike "*$missing*"
        { Get-SleapVideo -Path $missing -ErrorAction Stop } | Should -Throw "*$missing*"
    }

    It 'reports a file that is not a video by its path' {
        $notVideo = Join-Path $TestDrive 'not-a-video.mp4'
        Set-Content -LiteralPath $notVideo -Value 'this is text, not a movie'
        { Get-SleapVideo -Path $notVideo -ErrorAction Stop } | Should -Throw "*$notVideo*"
    }
}

Describe 'Get-SleapVideo -Labels' {
    It 'finds the video the labels were made on, though the file names it tests/data/...' {
        $labels = Import-SleapLabels -Path (Fixture 'hdf5_format_v1', 'centered_pair_predictions.slp')
        $video = Get-SleapVideo -Labels $labels
        $video | Should -HaveCount 1
        $video.Filename | Should -Be 'tests/data/json_format_v1/centered_pair_low_quality.mp4'
        $video.IsAvailable | Should -BeTrue
        $video.FrameCount | Should -Be 1100
        $video.Height | Should -Be 384
        $video.Width | Should -Be 384
    }

    It 'takes labels from the pipeline' {
        $video = Import-SleapLabels -Path (Fixture 'slp_hdf5', 'small_robot_minimal.slp') | Get-SleapVideo
        $video.FrameCount | Should -Be 166
        $video.Channels | Should -Be 3
    }

    It 'describes single-image videos (one image file per frame)' {
        $video = Import-SleapLabels -Path (Fixture 'siv_format_v1', 'small_robot_siv.slp') | Get-SleapVideo
        $video.Backend | Should -Be 'ImageSequence'
        $video.FrameCount | Should -Be 3
        $video.Height | Should -Be 320
        $video.Width | Should -Be 560
    }

    It 'lists a video that cannot be found as missing, without failing' {
        $copy = Join-Path $TestDrive 'alone.slp'
        Copy-Item -LiteralPath (Fixture 'slp_hdf5', 'minimal_instance.slp') -Destination $copy
        $labels = Import-SleapLabels -Path $copy
        $video = Get-SleapVideo -Labels $labels -ErrorAction Stop
        $video | Should -HaveCount 1
        $video.IsAvailable | Should -BeFalse
        $video.ResolvedPath | Should -BeNullOrEmpty
    }
}
