using System.Text;

namespace SleapPS.Fuzz;

/// <summary>
/// The child process that runs a range of cases of one kind, one after another, and tells the supervisor on stdout
/// when each starts and how it ended (with its peak resident memory). If it dies or stalls the supervisor notes the
/// case it was on and starts a new worker after it.
/// </summary>
public static class Worker
{
    public const string Prefix = "@@fuzz ";

    public static int Run(FuzzKind kind, int seed, int from, int to, FixtureRoots roots, string temp)
    {
        // The supervisor holds this worker's stdin open; when it goes (Ctrl+C, killed), so does the worker.
        new Thread(() =>
        {
            while (Console.In.Read() >= 0) { }
            Environment.Exit(3);
        }) { IsBackground = true }.Start();
        for (int index = from; index < to; index++)
        {
            var fuzzCase = FuzzCase.Plan(kind, seed, index);
            string folder = Path.Combine(temp, $"{kind.Name}-{index}");
            Console.Out.WriteLine($"{Prefix}S {index}");
            ReleaseEarlierCases();
            ResetPeakMemory();
            var result = CaseRunner.Run(fuzzCase, roots, folder);
            long peakKb = PeakMemoryKb();
            Console.Out.WriteLine($"{Prefix}E {index} {result.Outcome} {peakKb} {Encode(result.Signature)} {Encode(result.Message)}");
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return 0;
    }

    public static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text.Length > 2000 ? text[..2000] : text));

    public static string Decode(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));

    /// <summary>Above this much resident memory at a case's start, earlier cases' garbage is collected first.</summary>
    private const long CollectAboveBytes = 256L << 20;

    /// <summary>
    /// Frees what earlier cases left for the collector, and gives it back to the system, before a case starts, so the
    /// case's peak is its own (docs/design/reliability.md §1). Under the worker's 1.5 GB heap limit the collector lets
    /// large garbage (PureHDF's buffers for damaged sizes up to the file's bounds) pile up towards 1 GB before a full
    /// collection; the case that happened to start on top of it read as over the limit, though alone it used ~95 MB.
    /// </summary>
    private static void ReleaseEarlierCases()
    {
        if (Environment.WorkingSet > CollectAboveBytes)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Resets the kernel's high-water mark of resident memory (Linux: "5" into clear_refs), so each case's peak is its own.</summary>
    private static void ResetPeakMemory()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>VmHWM, the peak resident memory since the last reset, in KiB; elsewhere the process's peak working set.</summary>
    private static long PeakMemoryKb()
    {
        if (File.Exists("/proc/self/status"))
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0]);
        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1024;
    }
}
