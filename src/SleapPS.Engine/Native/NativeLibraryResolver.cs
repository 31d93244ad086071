using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SleapPS.Engine.Native;

/// <summary>
/// Finds the native libraries of OpenCvSharp and ONNX Runtime when the engine is loaded as a plug-in (a PowerShell module,
/// a Bonsai package), where .NET does not look in the plug-in's own runtimes/ folder.
/// An application that ships a deps.json finds it by itself; this resolver only steps in after
/// the default lookup fails.
/// </summary>
internal static class NativeLibraryResolver
{
#pragma warning disable CA2255 // A plug-in has no application entry point: the engine must register itself when it loads.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        NativeLogging.Silence();   // before OpenCV is loaded: it reads its log levels once
        Register(typeof(OpenCvSharp.Mat).Assembly);
        Register(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly);
    }

    private static void Register(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for this assembly (by the host): leave it in charge.
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
            return handle;
        foreach (var candidate in Candidates(libraryName))
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out handle))
                return handle;
        return IntPtr.Zero;
    }

    private static IEnumerable<string> Candidates(string libraryName)
    {
        string baseDir = Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location) ?? AppContext.BaseDirectory;
        string rid = RuntimeIdentifier();
        string[] fileNames = OperatingSystem.IsWindows()
            ? [libraryName + ".dll", libraryName]
            : OperatingSystem.IsMacOS()
                ? ["lib" + libraryName + ".dylib", libraryName + ".dylib", libraryName]
                : ["lib" + libraryName + ".so", libraryName + ".so", libraryName];
        foreach (var fileName in fileNames)
        {
            yield return Path.Combine(baseDir, "runtimes", rid, "native", fileName);
            yield return Path.Combine(baseDir, rid, fileName);
            yield return Path.Combine(baseDir, fileName);
        }
    }

    /// <summary>The runtimes/ folder name of this process's platform: linux-x64, win-x64, osx-arm64...</summary>
    internal static string RuntimeIdentifier()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            _ => "x64",
        };
        return os + "-" + arch;
    }
}
