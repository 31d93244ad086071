namespace SleapPS.Fuzz;

/// <summary>The counts of one kind's run, its peak memory, and one example of each distinct failure.</summary>
public sealed class KindTally(string kind)
{
    public string Kind { get; } = kind;

    public Dictionary<CaseOutcome, int> Counts { get; } = Enum.GetValues<CaseOutcome>().ToDictionary(o => o, _ => 0);

    /// <summary>The highest resident memory of the worker process during any case, in MiB (the runtime's own share included).</summary>
    public double PeakMb { get; private set; }

    public int Cases { get; private set; }

    /// <summary>Cases that ran out of time once and were run again with more (not hangs unless they ran out again).</summary>
    public int Retried { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>Each distinct failure (unclear, crash, hang, over memory) once: how often, and the first case that showed it.</summary>
    public Dictionary<string, Failure> Failures { get; } = new();

    public sealed record Failure(CaseOutcome Outcome, FuzzCase Example, string Message)
    {
        public int Count { get; set; }
    }

    public void Add(FuzzCase fuzzCase, CaseOutcome outcome, double peakMb, string signature, string message)
    {
        Cases++;
        Counts[outcome]++;
        PeakMb = Math.Max(PeakMb, peakMb);
        if (outcome is CaseOutcome.Read or CaseOutcome.Clear) return;
        string key = $"{outcome}: {signature}";
        if (!Failures.TryGetValue(key, out var failure))
            Failures[key] = failure = new Failure(outcome, fuzzCase, message);
        failure.Count++;
    }

    public bool Passed => Counts[CaseOutcome.Unclear] + Counts[CaseOutcome.Crash] + Counts[CaseOutcome.Hang] + Counts[CaseOutcome.OverMemory] == 0;
}
