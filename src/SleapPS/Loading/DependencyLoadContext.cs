using System.Reflection;
using System.Runtime.Loader;

namespace SleapPS.Loading;

/// <summary>
/// The load context SleapPS's dependencies live in (the engine, ONNX Runtime, Google.Protobuf, OpenCvSharp, PureHDF,
/// YamlDotNet, System.Numerics.Tensors), all from the module's bin/ folder. Another module in the same session may load
/// other versions of the same libraries into the default context; neither sees the other's.
/// See docs/design/architecture.md §6.
/// </summary>
/// <remarks>
/// The cmdlet assembly stays in the default context, where PowerShell loads modules, and reaches the engine through
/// <see cref="Install"/>'s Resolving handler. Nothing in this file may name an engine type: it runs before the engine
/// can be found.
/// </remarks>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private const string EngineAssembly = "SleapPS.Engine";
    private static readonly object Gate = new();
    private static DependencyLoadContext? _installed;

    private readonly string _folder;

    private DependencyLoadContext(string folder) : base("SleapPS", isCollectible: false) => _folder = folder;

    /// <summary>
    /// Creates the context over <paramref name="folder"/> (once per process) and lets the default context find the engine
    /// in it. Called by SleapPS.psm1 before the cmdlets are imported, since PowerShell reads their types on import.
    /// </summary>
    public static void Install(string folder)
    {
        lock (Gate)
        {
            if (_installed is not null) return;
            _installed = new DependencyLoadContext(Path.GetFullPath(folder));
            Default.Resolving += ResolveEngine;
        }
    }

    /// <summary>
    /// Only the engine is handed to the default context, and only when it could not find one itself: a host that
    /// already references the engine (the hosted tests) keeps its own, with the dependencies it brought.
    /// </summary>
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineAssembly ? _installed?.LoadFromAssemblyName(name) : null;

    /// <summary>Whatever bin/ holds is loaded from there, into this context; the rest (the runtime, PowerShell) is shared.</summary>
    protected override Assembly? Load(AssemblyName name)
    {
        string path = Path.Combine(_folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
