using System.Diagnostics;

namespace SleapPS.Tests.Support;

/// <summary>
/// A small tmpfs mounted for one test (a real full disk, a file system made read-only mid-run); needs root. Where it
/// cannot be mounted, <see cref="TryMount"/> returns null and the test uses its stand-in.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>
    /// What a test that needs a mount says where it cannot have one (not root, or a container without CAP_SYS_ADMIN):
    /// it then proves nothing, and says so; .ci/run prints whether mounting works on the CI machine.
    /// </summary>
    public const string Unavailable =
        "No tmpfs could be mounted here (mounting needs root with CAP_SYS_ADMIN), so this fault was not made; WriteFaultFallbackTests stands in for a full disk.";

    public static TmpfsMount? TryMount(string folder, long bytes)
    {
        Directory.CreateDirectory(folder);
        return Mount("-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", folder) ? new TmpfsMount(folder) : null;
    }

    /// <summary>Changes the size or makes it read-only ("ro") or writable again ("rw") without losing its files.</summary>
    public void Remount(string options)
    {
        if (!Mount("-o", "remount," + options, Folder))
            throw new InvalidOperationException($"Could not remount '{Folder}' with {options}.");
    }

    public void Dispose() => Mount("-u", Folder);

    private static bool Mount(params string[] arguments)
    {
        var start = new ProcessStartInfo(arguments[0] == "-u" ? "umount" : "mount") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments[0] == "-u" ? arguments[1..] : arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
