namespace SleapPS.Tests.Support;

/// <summary>A fresh folder for one test's output, deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        FullName = Path.Combine(Path.GetTempPath(), "sleapps-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullName);
    }

    public string FullName { get; }

    public string File(string name) => Path.Combine(FullName, name);

    public string[] Entries => Directory.GetFileSystemEntries(FullName).Select(Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try { Directory.Delete(FullName, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
