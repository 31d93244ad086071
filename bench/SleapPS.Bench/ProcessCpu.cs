using System.Diagnostics;
using System.Runtime.InteropServices;

/// <summary>
/// CPU time of the whole process (all threads, also ended ones) in milliseconds. On Linux from getrusage, to the
/// microsecond: Process.TotalProcessorTime counts in 10 ms ticks there, too coarse for runs of a few milliseconds.
/// </summary>
internal static partial class ProcessCpu
{
    public static double Milliseconds()
    {
        if (OperatingSystem.IsLinux() && GetResourceUsage(0, out var usage) == 0)
            return (usage.UserSeconds + usage.SystemSeconds) * 1000.0 + (usage.UserMicroseconds + usage.SystemMicroseconds) / 1000.0;
        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        // The rest of struct rusage (14 longs), unread.
        public long R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetResourceUsage(int who, out ResourceUsage usage);
}
