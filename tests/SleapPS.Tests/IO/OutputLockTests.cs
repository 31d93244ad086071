using System.Diagnostics;
using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

/// <summary>
/// The lock of an output (docs/design/batch-runs.md §3), held by another real process (the module's console runner) and
/// by this one: the second run is refused with a message naming the holder, and a holder that dies releases it.
/// </summary>
public sealed class OutputLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_second_lock_in_this_process_is_refused_naming_the_holder_and_is_taken_once_released()
    {
        string output = _dir.File("video.predictions.slp");
        using (var first = OutputLock.Acquire(output))
        {
            var refused = Assert.Throws<SleapException>(() => OutputLock.Acquire(output));
            Assert.Equal(SleapErrorKind.InUse, refused.Kind);
            Assert.Equal(output, refused.Path);
            Assert.Contains($"is being written by process {Environment.ProcessId} on host {Environment.MachineName} since {first.Owner.Since:yyyy-MM-dd HH:mm:ss}Z", refused.Message);
            Assert.Equal(first.Owner, OutputLock.ReadOwner(output));
        }
        Assert.False(File.Exists(output + ".lock"));
        Assert.False(File.Exists(output + ".lock.owner"));
        using var second = OutputLock.Acquire(output);
        Assert.Equal(Environment.ProcessId, second.Owner.ProcessId);
    }

    [Fact]
    public void A_lock_held_by_another_process_is_refused_and_released_when_that_process_is_killed()
    {
        string output = _dir.File("video.predictions.slp");
        string script = _dir.File("hold.ps1");
        File.WriteAllText(script, $$"""
            $engine = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SleapPS.Engine' })[0]
            $lock = $engine.GetType('SleapPS.Engine.IO.OutputLock')::Acquire('{{output}}')
            [System.Threading.Thread]::Sleep(300000)
            """);
        using var holder = SleapPSRunner.Start(script);
        try
        {
            var owner = WaitForOwner(output, holder);
            Assert.Equal((holder.Id, Environment.MachineName), (owner.ProcessId, owner.Host));

            var refused = Assert.Throws<SleapException>(() => OutputLock.Acquire(output));
            Assert.Equal(SleapErrorKind.InUse, refused.Kind);
            Assert.Equal($"The output '{output}' is being written by {owner}: two runs never write the same output. " +
                $"Wait for that run to finish, or stop it; if no such run exists any more, the lock '{output}.lock' is free and the next run takes it.",
                refused.Message);

            // A crash (kill -9): the OS drops the lock with the process; its leftover files are taken over.
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
            Assert.True(File.Exists(output + ".lock"));
            using var taken = OutputLock.Acquire(output);
            Assert.Equal(Environment.ProcessId, OutputLock.ReadOwner(output)!.ProcessId);
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
    }

    private static LockOwner WaitForOwner(string output, Process holder)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (holder.HasExited)
                throw new Xunit.Sdk.XunitException($"The holding process exited ({holder.ExitCode}): {holder.StandardError.ReadToEnd()}");
            if (OutputLock.ReadOwner(output) is { } owner && owner.ProcessId == holder.Id) return owner;
            Thread.Sleep(100);
        }
        throw new Xunit.Sdk.XunitException("The holding process did not take the lock within 2 minutes.");
    }
}
