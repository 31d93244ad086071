namespace SleapPS.Fuzz;

/// <summary>The run's table, per kind, and the distinct failures with a case that reproduces each.</summary>
public static class FuzzTable
{
    public static void Print(IReadOnlyList<KindTally> tallies, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"kind",-22}{"cases",7}{"read",7}{"clear",7}{"unclear",8}{"crash",6}{"hang",5}{">limit",7}{"peak MB",8}{"ms/case",8}");
        foreach (var t in tallies)
            output.WriteLine($"{t.Kind,-22}{t.Cases,7}{t.Counts[CaseOutcome.Read],7}{t.Counts[CaseOutcome.Clear],7}{t.Counts[CaseOutcome.Unclear],8}" +
                             $"{t.Counts[CaseOutcome.Crash],6}{t.Counts[CaseOutcome.Hang],5}{t.Counts[CaseOutcome.OverMemory],7}{t.PeakMb,8:0}" +
                             $"{(t.Cases == 0 ? 0 : t.Elapsed.TotalMilliseconds / t.Cases),8:0}");
        if (tallies.Sum(t => t.Retried) is > 0 and var retried)
            output.WriteLine($"({retried} slow cases ran out of time once and finished when run again with three times the limit.)");
        foreach (var t in tallies.Where(t => !t.Passed))
        {
            output.WriteLine();
            output.WriteLine($"{t.Kind}: distinct failures (count, then the first case; rerun it with --seed S --case {t.Kind}:INDEX):");
            foreach (var (signature, failure) in t.Failures.OrderByDescending(f => f.Value.Count))
            {
                output.WriteLine($"  {failure.Count,5} x {signature}");
                output.WriteLine($"          {failure.Example}");
                output.WriteLine($"          {failure.Message}");
            }
        }
    }

    public static object ToJson(KindTally t) => new
    {
        t.Kind,
        t.Cases,
        Counts = t.Counts.ToDictionary(c => c.Key.ToString(), c => c.Value),
        t.PeakMb,
        t.Retried,
        Seconds = t.Elapsed.TotalSeconds,
        Failures = t.Failures.Select(f => new
        {
            Signature = f.Key,
            f.Value.Count,
            Outcome = f.Value.Outcome.ToString(),
            f.Value.Example.Fixture,
            f.Value.Example.Mutation,
            f.Value.Example.MutationSeed,
            f.Value.Example.Index,
            f.Value.Message,
        }),
    };
}
