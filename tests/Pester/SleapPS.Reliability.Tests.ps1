#Requires -Version 7.4
# The process killed (SIGKILL) at seeded random points of an `Invoke-SleapPredict -OutputPath` run, in real pwsh
# processes (issue 15, docs/design/reliability.md §4): after each kill the target is the user's old file untouched or
# the complete new one, the parts folder resumes, and the finished file equals an uninterrupted run's.
# Build first (./build.sh), then: ./build.sh Pester

BeforeAll {
    $Fixtures = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' '..' 'shared' 'fixtures' 'sleap'))
    function Fixture([string[]] $Parts) { Join-Path $Fixtures @Parts }
    $Manifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..' '..' 'out' 'SleapPS' 'SleapPS.psd1'))
    $Cache = Join-Path ([System.IO.Path]::GetTempPath()) 'sleapps-pester-model-cache'
    Import-Module $Manifest -Force
    $Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $Models = Fixture 'models', 'minimal_robot.UNet.single_instance'
    $Video = Fixture 'videos', 'small_robot.mp4'
    # A user's earlier file at the target, to prove it survives until the new one is complete.
    $OldFile = Fixture 'slp_hdf5', 'minimal_instance.slp'

    # The command a user would run; small parts so that a kill lands between parts as well as inside one.
    function Start-Run([string] $Target) {
        $script = Join-Path $TestDrive "run-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $script -Value @"
Import-Module '$Manifest'
Import-SleapModel '$Models' -CacheFolder '$Cache' |
    Invoke-SleapPredict -Video '$Video' -BatchSize 4 -FramesPerPart 8 -OutputPath '$Target' -Force -ProgressReporting None
"@
        Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -PassThru -RedirectStandardOutput (Join-Path $TestDrive 'stdout.txt') -RedirectStandardError (Join-Path $TestDrive 'stderr.txt')
    }

    # Returns once the run has created its parts folder (or exited).
    function Wait-Parts($Run, [string] $Target) {
        while (-not $Run.HasExited -and -not (Test-Path -LiteralPath "$Target.parts")) { Start-Sleep -Milliseconds 5 }
    }

    function Points([string] $Path) {
        foreach ($frame in (Import-SleapLabels $Path).LabeledFrames) {
            foreach ($instance in $frame.Instances) { foreach ($point in $instance.Points) { "$($frame.FrameIndex) $($point.X) $($point.Y) $($point.Score)" } }
        }
    }
}

Describe 'Invoke-SleapPredict -OutputPath killed with SIGKILL' {
    It 'leaves the old file or the complete one after each of 3 kills, and the resumed run writes what an uninterrupted run writes' {
        # The uninterrupted run, timed: its start-up (until the parts folder appears: the model is loaded, frames are
        # being predicted) and its whole length (the merge done). The kills are aimed between the two.
        $reference = Join-Path $TestDrive 'uninterrupted.slp'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $run = Start-Run $reference
        Wait-Parts $run $reference
        $startup = $clock.Elapsed.TotalMilliseconds
        $run.WaitForExit()
        $run.ExitCode | Should -Be 0 -Because (Get-Content (Join-Path $TestDrive 'stderr.txt') -Raw)
        $duration = $clock.Elapsed.TotalMilliseconds
        $expected = @(Points $reference)
        $expected.Count | Should -BeGreaterThan 0

        $target = Join-Path $TestDrive 'out.slp'
        Copy-Item -LiteralPath $OldFile -Destination $target
        $oldBytes = [IO.File]::ReadAllBytes($target)
        $random = [Random]::new(15)
        $kills = foreach ($kill in 1..3) {
            # From the start of prediction to the end of an uninterrupted run (a resumed run, with less to do, may
            # finish first: then the target must be the complete file).
            $delay = [int]($startup + ($duration - $startup) * $random.NextDouble())
            $run = Start-Run $target
            if (-not $run.WaitForExit($delay)) {
                $run.Kill()   # SIGKILL on Linux and macOS: no handler, no finally block runs
                $run.WaitForExit()
            }
            $bytes = [IO.File]::ReadAllBytes($target)
            $state = if ([Linq.Enumerable]::SequenceEqual($bytes, $oldBytes)) { 'old' } else { 'complete' }
            if ($state -eq 'complete') { @(Points $target) | Should -Be $expected -Because "after the kill at $delay ms the target changed, so it must be whole" }
            "$delay ms: $state, $(@(Get-ChildItem -LiteralPath "$target.parts" -Filter 'part-*.slp' -ErrorAction SilentlyContinue).Count) parts"
        }
        Write-Host "Kills, ms after the start (uninterrupted: parts from $([int]$startup) ms, end at $([int]$duration) ms): $($kills -join '; ')"

        $partsLeft = @(Get-ChildItem -LiteralPath "$target.parts" -Filter 'part-*.slp' -ErrorAction SilentlyContinue).Count
        $run = Start-Run $target
        $run.WaitForExit()
        if ($partsLeft -gt 0) { Get-Content (Join-Path $TestDrive 'stdout.txt') -Raw | Should -Match 'Resuming the unfinished run' }
        $run.ExitCode | Should -Be 0 -Because (Get-Content (Join-Path $TestDrive 'stderr.txt') -Raw)
        Test-Path -LiteralPath "$target.parts" | Should -BeFalse
        @(Points $target) | Should -Be $expected
    }
}

Describe 'Invoke-SleapPredict -OutputPath stopped while its parts are merged' {
    BeforeAll {
        # Stops a PowerShell instance (as Ctrl+C does: StopProcessing on another thread) when its run reports that the
        # merge into the output begins ("Writing 'out.slp'", "0 of N parts merged"). The report comes from the pipeline's
        # thread, so the stop is requested at the start of the merge on any machine; it lands while the parts are merged
        # (the usual case) or, if the stopping thread comes late, after the new file is complete: both must be safe.
        Add-Type -TypeDefinition @'
using System.Management.Automation;
public static class SleapStopAtMerge
{
    public static bool Requested;
    public static void Arm(PowerShell shell)
    {
        Requested = false;
        shell.Streams.Progress.DataAdded += (sender, e) =>
        {
            var record = ((PSDataCollection<ProgressRecord>)sender)[e.Index];
            if (Requested || !record.Activity.StartsWith("Writing '") || !record.StatusDescription.StartsWith("0 of ")) return;
            Requested = true;
            shell.BeginStop(null, null);
        };
    }
}
'@
        function Invoke-Run([string] $Target, [switch] $StopAtMerge) {
            $shell = [PowerShell]::Create()
            $null = $shell.AddScript(@"
Import-Module '$Manifest'
Import-SleapModel '$Models' -CacheFolder '$Cache' |
    Invoke-SleapPredict -Video '$Video' -BatchSize 4 -FramesPerPart 4 -OutputPath '$Target' -Force
"@)
            if ($StopAtMerge) { [SleapStopAtMerge]::Arm($shell) }
            try {
                $null = try { $shell.Invoke() } catch [System.Management.Automation.PipelineStoppedException] { @() }
                [pscustomobject]@{ State = $shell.InvocationStateInfo.State; Warnings = @($shell.Streams.Warning | ForEach-Object { "$_" }); Errors = @($shell.Streams.Error | ForEach-Object { "$_" }) }
            }
            finally { $shell.Dispose() }
        }
    }

    It 'leaves the old file byte for byte (or the complete new one), no temporary file and the parts; the rerun writes the uninterrupted file' {
        $reference = Join-Path $TestDrive 'merge-uninterrupted.slp'
        (Invoke-Run $reference).Errors | Should -BeNullOrEmpty
        $expected = @(Points $reference)
        $expected.Count | Should -BeGreaterThan 0

        $folder = Join-Path $TestDrive 'merge-stop'
        $null = New-Item -ItemType Directory -Path $folder
        $target = Join-Path $folder 'out.slp'
        Copy-Item -LiteralPath $OldFile -Destination $target
        $oldBytes = [IO.File]::ReadAllBytes($target)

        $stopped = Invoke-Run $target -StopAtMerge
        [SleapStopAtMerge]::Requested | Should -BeTrue -Because 'the run reports the start of its merge'
        $stopped.State | Should -Be 'Stopped'
        $stopped.Errors | Should -BeNullOrEmpty
        $parts = @(Get-ChildItem -LiteralPath "$target.parts" -Filter 'part-*.slp' -ErrorAction SilentlyContinue).Count
        $entries = @(Get-ChildItem -LiteralPath $folder -Force | ForEach-Object Name | Sort-Object)
        if ([Linq.Enumerable]::SequenceEqual([IO.File]::ReadAllBytes($target), $oldBytes)) {
            Write-Host "Stopped during the merge: the old file is kept with $parts parts."
            $entries | Should -Be @('out.slp', 'out.slp.parts')
            $parts | Should -Be 42   # 166 frames in parts of 4
            $rerun = Invoke-Run $target
            $rerun.Warnings -join "`n" | Should -Match 'Resuming the unfinished run.*166 frames were predicted before'
        }
        else {
            Write-Host 'The stop came after the merge: the new file is complete.'
            $entries | Should -Be @('out.slp')
            $rerun = Invoke-Run $target
        }
        $rerun.Errors | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $folder -Force | ForEach-Object Name) | Should -Be @('out.slp')
        @(Points $target) | Should -Be $expected
    }
}
