using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SleapPS.Runner;

// SleapPS.Runner [--module <SleapPS.psd1>] <script.ps1> [script arguments...]
// Imports the module, runs the script, prints its output formatted as PowerShell would
// (through Out-Default and the module's format file) and its errors on stderr.
// Exit code: 0 when the script wrote no error, 1 when it did, 2 for bad usage.

var arguments = args.ToList();
string? module = null;
if (arguments.Count >= 2 && arguments[0] == "--module")
{
    module = Path.GetFullPath(arguments[1]);
    arguments.RemoveRange(0, 2);
}
if (arguments.Count == 0 || arguments[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: SleapPS.Runner [--module <SleapPS.psd1>] <script.ps1> [arguments...]");
    return 2;
}
module ??= ModuleLocator.FindBuiltModule();
if (module is null || !File.Exists(module))
{
    Console.Error.WriteLine($"The built module was not found{(module is null ? "" : " at " + module)}. Build it first (./build.sh Build) or pass --module <path to SleapPS.psd1>.");
    return 2;
}
var script = Path.GetFullPath(arguments[0]);
if (!File.Exists(script))
{
    Console.Error.WriteLine($"No such script: {script}");
    return 2;
}

var state = InitialSessionState.CreateDefault2();
// Windows hosts default to a Restricted policy, which would refuse to run any .ps1 file.
if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, state);
runspace.Open();

var errorCount = 0;
try
{
    using (var import = PowerShell.Create(runspace))
    {
        import.AddCommand("Import-Module").AddParameter("Name", module).AddParameter("ErrorAction", "Stop").Invoke();
    }

    using var ps = PowerShell.Create(runspace);
    ps.Streams.Error.DataAdded += (_, e) =>
    {
        errorCount++;
        ConsoleHost.WriteError(ps.Streams.Error[e.Index]);
    };
    // Invoking the file as a command (not its text as a script) gives it $PSScriptRoot and its own scope.
    var command = ps.AddCommand(script);
    foreach (var argument in arguments.Skip(1)) command.AddArgument(argument);
    ps.AddCommand("Out-Default");
    ps.Invoke();
}
catch (RuntimeException ex)
{
    errorCount++;
    ConsoleHost.WriteError(ex.ErrorRecord);
}
return errorCount == 0 ? 0 : 1;
