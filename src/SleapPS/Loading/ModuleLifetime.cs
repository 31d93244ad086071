using System.Management.Automation;
using SleapPS.Engine.Native;

namespace SleapPS.Loading;

/// <summary>
/// Registers the engine's native-library resolver while the module is imported and removes it on Remove-Module
/// (docs/design/architecture.md §6).
/// </summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => NativeLibraryResolver.Register();

    public void OnRemove(PSModuleInfo module) => NativeLibraryResolver.Unregister();
}
