using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace SleapPS.Engine.Native;

/// <summary>
/// Finds the native libraries of OpenCvSharp and ONNX Runtime when the engine is loaded as a plug-in (a PowerShell module,
/// a Bonsai package), where .NET does not look in the plug-in's own runtimes/ folder.
/// An application that ships a deps.json finds them by itself; this resolver only steps in after the default lookup
/// fails (the load context's ResolvingUnmanagedDll event), so it never overrides what the host chose.
/// </summary>
/// <remarks>
/// A host registers it while it uses the engine and removes it when done: the PowerShell module does so on import and on
/// Remove-Module (docs/design/architecture.md §6). Registrations are counted, so one host that leaves does not take it away
/// from another that still uses the engine in the same load context.
/// </remarks>
public static class NativeLibraryResolver
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> ServedAssemblies = ["OpenCvSharp", "Microsoft.ML.OnnxRuntime"];
    private static int _registrations;
    private static AssemblyLoadContext? _context;

#pragma warning disable CA2255 // A plug-in has no application entry point: the engine prepares itself when it loads.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PrepareNativeLogging() => NativeLogging.Silence();   // before OpenCV is loaded: it reads its log levels once

    /// <summary>Whether the resolver is registered now (by any host).</summary>
    public static bool IsRegistered
    {
        get { lock (Gate) return _registrations > 0; }
    }

    /// <summary>Registers the resolver with the load context the engine lives in; each call must be paired with <see cref="Unregister"/>.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registrations++ > 0) return;
            _context = AssemblyLoadContext.GetLoadContext(typeof(NativeLibraryResolver).Assembly) ?? AssemblyLoadContext.Default;
            _context.ResolvingUnmanagedDll += Resolve;
        }
    }

    /// <summary>Takes back one <see cref="Register"/>; the last one removes the resolver.</summary>
    public static void Unregister()
    {
        lock (Gate)
        {
            if (_registrations == 0 || --_registrations > 0) return;
            _context!.ResolvingUnmanagedDll -= Resolve;
            _context = null;
        }
    }

    private static IntPtr Resolve(Assembly assembly, string libraryName)
    {
        // Only the libraries the engine brings: another assembly's missing library is not ours to find.
        if (!ServedAssemblies.Contains(assembly.GetName().Name ?? "")) return IntPtr.Zero;
        foreach (var candidate in Candidates(libraryName))
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
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
