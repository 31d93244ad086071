using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SleapPS.Tests.Support;

/// <summary>
/// The real PowerShell engine, hosted in the test process, with the built module imported from
/// out/SleapPS exactly as a user would import it.
/// </summary>
public sealed class PowerShellHost : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellHost(string? workingDirectory = null)
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Import-Module -Name '{Paths.ModuleManifest}' -ErrorAction Stop");
        // Set-Location is not among the hosted engine's core cmdlets; set the location directly.
        if (workingDirectory is not null)
            _runspace.SessionStateProxy.Path.SetLocation(workingDirectory);
    }

    /// <summary>Runs a script; returns its output and the non-terminating errors it wrote. Terminating errors throw.</summary>
    public Result Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
            foreach (var (name, value) in variables)
                _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        var output = ps.Invoke();
        return new Result(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Progress.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList());
    }

    /// <summary>
    /// Runs a script and stops it, as Ctrl+C does, once it has written <paramref name="progressRecords"/> progress
    /// records; returns the warnings it wrote. Whether it was stopped or finished first is not an error.
    /// </summary>
    public List<string> RunAndStopAfterProgress(string script, int progressRecords)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        ps.Streams.Progress.DataAdded += (_, _) =>
        {
            if (ps.Streams.Progress.Count != progressRecords) return;
            ps.BeginStop(null, null);
            // This handler runs on the command's own thread, inside its WriteProgress; BeginStop hands the stop to a
            // thread of PowerShell's, which calls the command's StopProcessing. Holding the command here meanwhile keeps
            // a short run from finishing before the stop reaches it, as a user's Ctrl+C would on a quick machine.
            Thread.Sleep(TimeSpan.FromSeconds(2));
        };
        try
        {
            ps.Invoke();
        }
        catch (PipelineStoppedException)
        {
        }
        return ps.Streams.Warning.Select(w => w.Message).ToList();
    }

    /// <summary>Runs a script that must fail; returns the terminating error's record.</summary>
    public ErrorRecord RunExpectingError(string script)
    {
        try
        {
            var result = Run(script);
            if (result.Errors.Count > 0) return result.Errors[0];
        }
        catch (RuntimeException ex)
        {
            return ex.ErrorRecord;
        }
        throw new Xunit.Sdk.XunitException("The script was expected to fail but succeeded: " + script);
    }

    public void Dispose() => _runspace.Dispose();

    public sealed record Result(
        Collection<PSObject> Output,
        List<ErrorRecord> Errors,
        List<string> Warnings,
        List<ProgressRecord> Progress,
        List<string> Verbose)
    {
        public T Single<T>() => (T)Assert.Single(Output).BaseObject;
    }
}
