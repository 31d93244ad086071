namespace SleapPS.Fuzz;

/// <summary>Where fixtures are: the shared fixtures folder (sleap/, sleap-nn/) and the run's generated ones.</summary>
public sealed class FixtureRoots(string shared, string generated)
{
    private readonly Dictionary<string, byte[]> _bytes = new();

    public string Shared { get; } = Path.GetFullPath(shared);

    public string Generated { get; } = Path.GetFullPath(generated);

    /// <summary>The shared fixtures beside the repository that holds this program (../shared/fixtures).</summary>
    public static string DefaultShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SleapPS.psd1")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
        throw new InvalidOperationException("Cannot find the repository (the folder holding SleapPS.psd1) above " + AppContext.BaseDirectory + "; pass --fixtures.");
    }

    public string Resolve(string fixture) =>
        Path.Combine(fixture.StartsWith("generated/", StringComparison.Ordinal) ? Generated : Shared, fixture.Replace("generated/", ""));

    public byte[] Bytes(string fixture)
    {
        lock (_bytes)
        {
            if (!_bytes.TryGetValue(fixture, out var bytes))
                _bytes[fixture] = bytes = File.ReadAllBytes(Resolve(fixture));
            return bytes;
        }
    }
}
