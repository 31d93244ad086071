using System.Text.Json;
using SleapPS.Fuzz;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// A short seeded run of the fuzz harness, the real program in its own processes: every kind of file SleapPS reads,
/// mutated, must read or fail with a SleapException naming the file; nothing may crash, hang or pass the memory limit
/// (docs/design/reliability.md §1). The long run (10,000 cases per kind) is in CONTRIBUTING.md.
/// </summary>
public class FuzzShortRunTests
{
    private const int CasesPerKind = 200;

    [Fact]
    public void Two_hundred_mutated_files_of_every_kind_read_or_fail_clearly()
    {
        using var dir = new TempDir();
        string json = dir.File("fuzz.json");
        string harness = Path.Combine(AppContext.BaseDirectory, "SleapPS.Fuzz.dll");

        var run = ExternalProcess.Run("dotnet", [harness, "--cases", CasesPerKind.ToString(), "--seed", "15", "--json", json, "--temp", dir.File("cases"), "--time-limit-s", "60"],
            // The 2,000 cases took 34 s to 1 min within whole-suite runs on this project's 2-core machine, and over 3 min
            // when the suite ran 16 tests at a time under load. A hang is the harness's own verdict (the per-case limit
            // above), so the whole run only needs a limit that never trips.
            timeout: TimeSpan.FromMinutes(20));

        using var results = JsonDocument.Parse(File.ReadAllText(json));
        var kinds = results.RootElement.EnumerateArray().ToList();
        Assert.Equal(FuzzKinds.All.Select(k => k.Name), kinds.Select(k => k.GetProperty("Kind").GetString()));
        foreach (var kind in kinds)
        {
            string name = kind.GetProperty("Kind").GetString()!;
            var counts = kind.GetProperty("Counts");
            Assert.True(CasesPerKind == kind.GetProperty("Cases").GetInt32(), name);
            foreach (string outcome in new[] { "Unclear", "Crash", "Hang", "OverMemory" })
                Assert.True(counts.GetProperty(outcome).GetInt32() == 0, $"{name}: {counts.GetProperty(outcome).GetInt32()} {outcome}\n{run.Stdout}");
            // Both ways out are exercised: some mutations still read, most are refused.
            Assert.True(counts.GetProperty("Read").GetInt32() > 0, name);
            Assert.True(counts.GetProperty("Clear").GetInt32() > 0, name);
        }
        Assert.Equal(0, run.ExitCode);
    }
}
