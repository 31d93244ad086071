using System.Collections.Concurrent;
using System.Diagnostics;

namespace SleapPS.Fuzz;

/// <summary>
/// Runs a kind's cases in worker processes: it watches each case's time and the worker's memory, kills a worker that
/// runs past the time limit (a hang) or over the memory limit, notes a worker that dies (a crash), and goes on with
/// a fresh worker from the next case.
/// </summary>
public sealed class Supervisor(FuzzSettings settings)
{
    /// <summary>The case being run again, alone in a fresh worker with three times the time, after it first ran out of time.</summary>
    private int _retrying = -1;

    /// <summary>
    /// A case gets three times the limit on its second try: on a loaded machine (shared cores, a build beside it) a slow
    /// case is not a hang; one that runs out of time twice is.
    /// </summary>
    private TimeSpan LimitFor(int index) => index == _retrying ? settings.CaseTimeLimit * 3 : settings.CaseTimeLimit;

    public KindTally Run(FuzzKind kind)
    {
        var tally = new KindTally(kind.Name);
        var clock = Stopwatch.StartNew();
        int next = 0;
        while (next < settings.Cases)
            next = RunWorker(kind, next, tally);
        tally.Elapsed = clock.Elapsed;
        return tally;
    }

    /// <summary>Runs cases from <paramref name="from"/> in one worker until it finishes or fails; returns the next case to run.</summary>
    private int RunWorker(FuzzKind kind, int from, KindTally tally)
    {
        using var process = StartWorker(kind, from);
        var lines = new BlockingCollection<string?>();
        var stderrTail = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => lines.Add(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            stderrTail.Enqueue(e.Data);
            while (stderrTail.Count > 5) stderrTail.TryDequeue(out string? _);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        int current = -1;
        var caseClock = new Stopwatch();
        double sampledPeakMb = 0;
        while (true)
        {
            if (lines.TryTake(out var line, 20))
            {
                if (line is null) break; // stdout closed: the worker exited
                if (!line.StartsWith(Worker.Prefix, StringComparison.Ordinal)) continue;
                var parts = line[Worker.Prefix.Length..].Split(' ');
                int index = int.Parse(parts[1]);
                if (parts[0] == "S")
                {
                    current = index;
                    caseClock.Restart();
                    sampledPeakMb = 0;
                }
                else
                {
                    var outcome = Enum.Parse<CaseOutcome>(parts[2]);
                    double peakMb = Math.Max(long.Parse(parts[3]) / 1024.0, sampledPeakMb);
                    if (peakMb > settings.MemoryLimitMb && outcome is CaseOutcome.Read or CaseOutcome.Clear)
                        outcome = CaseOutcome.OverMemory;
                    tally.Add(FuzzCase.Plan(kind, settings.Seed, index), outcome, peakMb, Worker.Decode(parts[4]), Worker.Decode(parts[5]));
                    if (index == _retrying) _retrying = -1;
                    current = -1;
                    if (index + 1 >= settings.Cases) { Stop(process); return settings.Cases; }
                    // The runtime keeps what a big case made resident, so every later case in this worker would read
                    // as over the limit too: the next case starts in a fresh worker.
                    if (outcome == CaseOutcome.OverMemory) { Stop(process); return index + 1; }
                }
                continue;
            }
            if (current < 0) continue;
            double memoryMb = ResidentMb(process);
            sampledPeakMb = Math.Max(sampledPeakMb, memoryMb);
            if (caseClock.Elapsed > LimitFor(current))
            {
                if (current != _retrying)
                {
                    Stop(process);
                    _retrying = current;
                    tally.Retried++;
                    return current;
                }
                return Abandon(process, kind, current, CaseOutcome.Hang, sampledPeakMb, $"still running after {LimitFor(current).TotalSeconds:0} s (twice)", tally);
            }
            if (memoryMb > settings.MemoryLimitMb)
                return Abandon(process, kind, current, CaseOutcome.OverMemory, sampledPeakMb, $"resident memory reached {memoryMb:0} MB", tally);
        }
        process.WaitForExit();
        if (current >= 0)
            return Abandon(process, kind, current, CaseOutcome.Crash, sampledPeakMb,
                $"the worker exited with code {process.ExitCode}: {string.Join(" | ", stderrTail)}", tally);
        throw new InvalidOperationException($"The {kind.Name} worker exited with code {process.ExitCode} between cases: {string.Join(" | ", stderrTail)}");
    }

    private int Abandon(Process process, FuzzKind kind, int index, CaseOutcome outcome, double peakMb, string why, KindTally tally)
    {
        Stop(process);
        tally.Add(FuzzCase.Plan(kind, settings.Seed, index), outcome, peakMb, why.Split(':')[0], why);
        return index + 1;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException) { }
    }

    private static double ResidentMb(Process process)
    {
        try
        {
            process.Refresh();
            return process.WorkingSet64 / (1024.0 * 1024.0);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    private Process StartWorker(FuzzKind kind, int from)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run through the same host: "dotnet SleapPS.Fuzz.dll" or the apphost.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(typeof(Supervisor).Assembly.Location);
        foreach (string argument in new[]
                 {
                     "--worker", "--kinds", kind.Name, "--seed", settings.Seed.ToString(), "--from", from.ToString(), "--cases", settings.Cases.ToString(),
                     "--fixtures", settings.Roots.Shared, "--generated", settings.Roots.Generated, "--temp", settings.Temp,
                 })
            start.ArgumentList.Add(argument);
        // A managed allocation past the limit then throws OutOfMemoryException (an unclear error) instead of taking the machine.
        start.Environment["DOTNET_GCHeapHardLimit"] = $"0x{(long)settings.MemoryLimitMb * 3 / 2 * 1024 * 1024:X}";
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a fuzz worker.");
    }
}
