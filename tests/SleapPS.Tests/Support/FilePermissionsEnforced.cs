using System.Runtime.InteropServices;

namespace SleapPS.Tests.Support;

/// <summary>
/// Makes file permissions hold for the calling thread, even as root: root passes every permission check through three
/// capabilities (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), and Linux keeps capabilities per thread, so
/// clearing them from this thread's effective set (capset(2) for the calling thread only) lets a test meet a real
/// "Permission denied" while the rest of the test host keeps its rights. Disposing restores them (they stay in the
/// permitted set). A process that is not root has no such capabilities, and permissions already hold for it.
/// </summary>
public sealed class FilePermissionsEnforced : IDisposable
{
    private const uint Version3 = 0x20080522;   // _LINUX_CAPABILITY_VERSION_3: two 32-bit words of each set
    private const uint DacCapabilities = (1u << 1) | (1u << 2) | (1u << 3);   // DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER

    [StructLayout(LayoutKind.Sequential)]
    private struct Header { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data { public uint Effective, Permitted, Inheritable; }

    [DllImport("libc", SetLastError = true)]
    private static extern int capget(ref Header header, [Out] Data[] data);

    [DllImport("libc", SetLastError = true)]
    private static extern int capset(ref Header header, Data[] data);

    private readonly Data[]? _saved;
    private readonly int _thread = Environment.CurrentManagedThreadId;

    public FilePermissionsEnforced()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Thread capabilities are Linux's.");
        var header = new Header { Version = Version3 };
        var data = new Data[2];
        if (capget(ref header, data) != 0)
            throw new InvalidOperationException($"capget failed with errno {Marshal.GetLastPInvokeError()}.");
        if ((data[0].Effective & DacCapabilities) == 0) return;   // permissions already hold here
        _saved = (Data[])data.Clone();
        data[0].Effective &= ~DacCapabilities;
        header = new Header { Version = Version3 };
        if (capset(ref header, data) != 0)
            throw new InvalidOperationException($"capset failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    public void Dispose()
    {
        if (_saved is null) return;
        if (Environment.CurrentManagedThreadId != _thread)
            throw new InvalidOperationException("Capabilities are per thread: restore them on the thread that cleared them.");
        var header = new Header { Version = Version3 };
        if (capset(ref header, _saved) != 0)
            throw new InvalidOperationException($"capset failed with errno {Marshal.GetLastPInvokeError()}.");
    }
}
