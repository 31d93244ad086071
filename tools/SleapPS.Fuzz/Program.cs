using System.Text.Json;
using SleapPS.Fuzz;

// Fuzzes SleapPS's readers (docs/design/reliability.md §1). Usage:
//   dotnet run -c Release --project tools/SleapPS.Fuzz -- [--cases N] [--seed S] [--kinds slp,onnx-export,...]
//       [--time-limit-s 20] [--memory-mb 1024] [--json results.json] [--fixtures ../shared/fixtures]
//   ... --case KIND:INDEX   runs one case here and prints what happened (to debug a failure the table lists)
// Exit code 0 when every case read or failed with a clear error, 1 otherwise, 2 for a bad command line.
var settings = new FuzzSettings();
string? fixtures = null, generated = null, oneCase = null;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--cases": settings.Cases = int.Parse(Next()); break;
            case "--seed": settings.Seed = int.Parse(Next()); break;
            case "--from": settings.From = int.Parse(Next()); break;
            case "--kinds": settings.Kinds.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
            case "--time-limit-s": settings.CaseTimeLimit = TimeSpan.FromSeconds(double.Parse(Next())); break;
            case "--memory-mb": settings.MemoryLimitMb = int.Parse(Next()); break;
            case "--json": settings.JsonPath = Next(); break;
            case "--fixtures": fixtures = Next(); break;
            case "--generated": generated = Next(); break;
            case "--temp": settings.Temp = Next(); break;
            case "--worker": settings.IsWorker = true; break;
            case "--case": oneCase = Next(); break;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }
    foreach (string kind in settings.Kinds) FuzzKinds.Named(kind);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

bool ownTemp = settings.Temp.Length == 0;
if (ownTemp) settings.Temp = Path.Combine(Path.GetTempPath(), "sleapps-fuzz-" + Environment.ProcessId);
Directory.CreateDirectory(settings.Temp);
generated ??= Path.Combine(settings.Temp, "generated");
settings.Roots = new FixtureRoots(fixtures ?? FixtureRoots.DefaultShared(), generated);
var kinds = settings.Kinds.Count == 0 ? FuzzKinds.All : settings.Kinds.Select(FuzzKinds.Named).ToList();

if (settings.IsWorker)
    return Worker.Run(kinds[0], settings.Seed, settings.From, settings.Cases, settings.Roots, settings.Temp);

try
{
    GeneratedFixtures.Ensure(settings.Roots);
    if (oneCase is not null)
    {
        var (kindName, index) = (oneCase.Split(':')[0], int.Parse(oneCase.Split(':')[1]));
        var fuzzCase = FuzzCase.Plan(FuzzKinds.Named(kindName), settings.Seed, index);
        var result = CaseRunner.Run(fuzzCase, settings.Roots, Path.Combine(settings.Temp, "case"));
        Console.WriteLine($"{fuzzCase}\n{result.Outcome}: {result.Message}\n{result.Detail}");
        return result.Outcome is CaseOutcome.Read or CaseOutcome.Clear ? 0 : 1;
    }

    Console.WriteLine($"Fuzzing {kinds.Count} kinds, {settings.Cases} cases each, seed {settings.Seed}, {settings.CaseTimeLimit.TotalSeconds:0} s and {settings.MemoryLimitMb} MB per case.");
    var supervisor = new Supervisor(settings);
    var tallies = new List<KindTally>();
    foreach (var kind in kinds)
    {
        var tally = supervisor.Run(kind);
        tallies.Add(tally);
        Console.WriteLine($"  {kind.Name}: {tally.Cases} cases in {tally.Elapsed.TotalSeconds:0} s{(tally.Passed ? "" : $", {tally.Failures.Count} distinct failures")}");
    }
    FuzzTable.Print(tallies, Console.Out);
    if (settings.JsonPath is not null)
        File.WriteAllText(settings.JsonPath, JsonSerializer.Serialize(tallies.Select(FuzzTable.ToJson), new JsonSerializerOptions { WriteIndented = true }));
    return tallies.All(t => t.Passed) ? 0 : 1;
}
finally
{
    if (ownTemp)
        try { Directory.Delete(settings.Temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}
