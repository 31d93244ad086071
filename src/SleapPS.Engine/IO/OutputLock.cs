using System.Globalization;
using System.Text.Json;

namespace SleapPS.Engine.IO;

/// <summary>
/// Makes sure one run at a time writes an output (docs/design/batch-runs.md §3): <c>&lt;output&gt;.lock</c> is held open
/// with an exclusive OS lock for as long as the run writes, and <c>&lt;output&gt;.lock.owner</c> says who holds it (process
/// id, host, since when), so that a second run is refused with a message naming the holder.
/// </summary>
/// <remarks>
/// The lock is the open handle, not the file: the OS drops it when the process ends, however it ends, so a crashed run
/// never leaves a lock that blocks the next one (its leftover files are simply taken over). On Unix .NET takes an
/// exclusive <c>flock</c> for <see cref="FileShare.None"/>, which is per open file, so it also excludes a second run in
/// the same process; on Windows the share mode does (with <see cref="FileShare.Delete"/>, so the holder can remove the
/// file it holds). The owner is in a file of its own because the lock file cannot be read by anyone else while held.
/// </remarks>
public sealed class OutputLock : IDisposable
{
    private const int Attempts = 3;
    private FileStream? _handle;

    private OutputLock(string outputPath, string lockPath, FileStream handle, LockOwner owner)
    {
        OutputPath = outputPath;
        LockPath = lockPath;
        _handle = handle;
        Owner = owner;
    }

    /// <summary>The output this lock guards (full path).</summary>
    public string OutputPath { get; }

    /// <summary>The file held while the output is written.</summary>
    public string LockPath { get; }

    /// <summary>Who holds it: this process.</summary>
    public LockOwner Owner { get; }

    /// <summary>The lock file of an output.</summary>
    public static string LockPathOf(string outputPath) => Path.GetFullPath(outputPath) + ".lock";

    /// <summary>The file that names a lock's holder.</summary>
    public static string OwnerPathOf(string outputPath) => LockPathOf(outputPath) + ".owner";

    /// <summary>Takes the lock of <paramref name="outputPath"/>, or fails at once when another run holds it.</summary>
    /// <exception cref="SleapException">
    /// InUse when another run (another process, or another run in this one) holds it, naming the holder; WriteError /
    /// NotFound when the lock file cannot be created (the output's folder is missing or not writable).
    /// </exception>
    public static OutputLock Acquire(string outputPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        string output = Path.GetFullPath(outputPath);
        string lockPath = LockPathOf(output);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var handle = Open(output, lockPath);
            // The holder deletes the lock file while it still holds it: a handle opened just before that names a file that
            // is gone, and holds nothing another run can see. Open it again.
            if (!File.Exists(lockPath))
            {
                handle.Dispose();
                continue;
            }
            var owner = LockOwner.Current();
            try
            {
                // The owner in the held file too, for whoever looks at a lock left by a crash.
                byte[] text = System.Text.Encoding.UTF8.GetBytes(owner.ToJson());
                handle.SetLength(0);
                handle.Write(text);
                handle.Flush(flushToDisk: true);
                AtomicFile.Write(OwnerPathOf(output), temp => File.WriteAllText(temp, owner.ToJson()));
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            return new OutputLock(output, lockPath, handle, owner);
        }
        throw new SleapException(SleapErrorKind.InUse,
            $"The output '{output}' is being finished by another run (its lock '{lockPath}' came and went {Attempts} times). Try again.", output);
    }

    /// <summary>Who holds the lock of an output now, as its owner file says; null when it cannot be read.</summary>
    public static LockOwner? ReadOwner(string outputPath)
    {
        try
        {
            return LockOwner.FromJson(File.ReadAllText(OwnerPathOf(outputPath)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Releases the lock and removes its files (deleted while still held, so no other run sees a half-released lock).</summary>
    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, null);
        if (handle is null) return;
        try
        {
            File.Delete(OwnerPathOf(OutputPath));
            File.Delete(LockPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leftover files hold no lock: the next run takes them over.
        }
        finally
        {
            handle.Dispose();
        }
    }

    private static FileStream Open(string output, string lockPath)
    {
        var share = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, share, bufferSize: 1, FileOptions.None);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new SleapException(SleapErrorKind.NotFound,
                $"Cannot write '{output}': its folder '{Path.GetDirectoryName(output)}' does not exist. Create it first. ({ex.Message})", output, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SleapException(SleapErrorKind.WriteError,
                $"Cannot write '{output}': the folder '{Path.GetDirectoryName(output)}' is not writable ({ex.Message}). Choose a folder you can write to.", output, ex);
        }
        catch (IOException ex) when (File.Exists(lockPath))
        {
            var owner = ReadOwner(output);
            string holder = owner is null ? "another run" : owner.ToString();
            throw new SleapException(SleapErrorKind.InUse,
                $"The output '{output}' is being written by {holder}: two runs never write the same output. " +
                $"Wait for that run to finish, or stop it; if no such run exists any more, the lock '{lockPath}' is free and the next run takes it.", output, ex);
        }
        catch (IOException ex)
        {
            throw new SleapException(SleapErrorKind.WriteError, $"Cannot write '{output}': cannot create its lock file '{lockPath}' ({ex.Message}).", output, ex);
        }
    }
}

/// <summary>Who holds an <see cref="OutputLock"/>: process id, host and since when (UTC).</summary>
public sealed record LockOwner(int ProcessId, string Host, DateTime Since)
{
    /// <summary>This process, now.</summary>
    public static LockOwner Current() => new(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow);

    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["pid"] = ProcessId,
        ["host"] = Host,
        ["since"] = Since.ToString("o", CultureInfo.InvariantCulture),
    });

    public static LockOwner FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new LockOwner(root.GetProperty("pid").GetInt32(), root.GetProperty("host").GetString() ?? "",
            DateTime.Parse(root.GetProperty("since").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }

    /// <summary>"process 1234 on host lab-pc since 2026-12-06 06:53:32Z".</summary>
    public override string ToString() =>
        $"process {ProcessId} on host {Host} since {Since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z";
}
