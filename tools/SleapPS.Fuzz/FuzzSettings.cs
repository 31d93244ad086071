namespace SleapPS.Fuzz;

/// <summary>A run's settings, from the command line.</summary>
public sealed class FuzzSettings
{
    public int Cases { get; set; } = 100;

    public int Seed { get; set; } = 1;

    public int From { get; set; }

    public List<string> Kinds { get; } = [];

    public TimeSpan CaseTimeLimit { get; set; } = TimeSpan.FromSeconds(20);

    public int MemoryLimitMb { get; set; } = 1024;

    public FixtureRoots Roots { get; set; } = null!;

    /// <summary>The folder cases are written in (each case in its own subfolder, deleted after it).</summary>
    public string Temp { get; set; } = "";

    public string? JsonPath { get; set; }

    public bool IsWorker { get; set; }
}
