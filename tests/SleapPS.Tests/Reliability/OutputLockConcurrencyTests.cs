using System.Diagnostics;
using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// Two runs on one output never interleave (issue 15, docs/design/reliability.md §4): the second is refused with a
/// message naming the holder, whether the holder is this process or another one, and a holder killed with SIGKILL
/// leaves no lock behind. The other process is python3 taking the same OS lock (flock) a run takes and naming itself
/// in the owner file, as a run does.
/// </summary>
public class OutputLockConcurrencyTests
{
    private const string Holder = """
        import fcntl, json, os, socket, sys, time
        out = sys.argv[1]
        f = open(out + ".lock", "a+")
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with open(out + ".lock.owner", "w") as o:
            json.dump({"pid": os.getpid(), "host": socket.gethostname(), "since": "2026-12-06T07:00:00.0000000Z"}, o)
        print("held", flush=True)
        time.sleep(120)
        """;

    [Fact]
    public void A_second_run_in_this_process_is_refused_naming_the_first()
    {
        using var dir = new TempDir();
        string output = dir.File("out.slp");
        using var first = OutputLock.Acquire(output);

        var ex = Assert.Throws<SleapException>(() => OutputLock.Acquire(output));

        Assert.Equal(SleapErrorKind.InUse, ex.Kind);
        Assert.StartsWith($"The output '{output}' is being written by process {Environment.ProcessId} on host {Environment.MachineName} since ", ex.Message);
    }

    [Fact]
    public void A_run_in_another_process_holds_the_output_until_it_is_killed()
    {
        using var dir = new TempDir();
        string output = dir.File("out.slp");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Holder);
        start.ArgumentList.Add(output);
        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());

            var ex = Assert.Throws<SleapException>(() => OutputLock.Acquire(output));

            Assert.Equal(SleapErrorKind.InUse, ex.Kind);
            Assert.Equal($"The output '{output}' is being written by process {holder.Id} on host {Environment.MachineName} since 2026-12-06 07:00:00Z: " +
                         "two runs never write the same output. Wait for that run to finish, or stop it; if no such run exists any more, " +
                         $"the lock '{output}.lock' is free and the next run takes it.", ex.Message);
        }
        finally
        {
            holder.Kill();   // SIGKILL: the OS drops its lock with it
            holder.WaitForExit();
        }

        using var taken = OutputLock.Acquire(output);
        Assert.Equal(Environment.ProcessId, OutputLock.ReadOwner(output)!.ProcessId);
    }
}
