using System.Runtime.InteropServices;

namespace SleapPS.Engine.Native;

/// <summary>
/// Keeps OpenCV and the FFmpeg inside it from printing to the console ("moov atom not found",
/// "[ WARN:0@…] global cap.cpp …"): every failure they report also comes back to the engine, which raises a
/// SleapException naming the file, so their own lines only repeat it, out of order, outside the host's streams.
/// </summary>
/// <remarks>
/// OpenCV reads OPENCV_LOG_LEVEL and OPENCV_FFMPEG_LOGLEVEL from the process environment when it first logs and
/// first opens a video. .NET's Environment.SetEnvironmentVariable does not reach the native environment on Linux and
/// macOS, so they are set with the C library's setenv, before any OpenCV call. A value the user set is kept.
/// </remarks>
internal static partial class NativeLogging
{
    private const int Overwrite = 0;

    internal static void Silence()
    {
        try
        {
            Set("OPENCV_LOG_LEVEL", "SILENT");
            Set("OPENCV_FFMPEG_LOGLEVEL", "-8");   // AV_LOG_QUIET
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to call (an unusual platform): native messages stay as they were.
        }
    }

    private static void Set(string name, string value)
    {
        if (OperatingSystem.IsWindows())
        {
            // OpenCV on Windows reads the CRT's environment, which _putenv_s updates.
            if (Environment.GetEnvironmentVariable(name) is null) _ = PutEnvWindows(name, value);
            return;
        }
        _ = SetEnvUnix(name, value, Overwrite);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvUnix(string name, string value, int overwrite);

    [LibraryImport("ucrtbase", EntryPoint = "_putenv_s", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PutEnvWindows(string name, string value);
}
