using System.Diagnostics;

namespace SleapPS.Tests.Support;

/// <summary>Runs a program the tests use as an independent check (node, python) and collects what it printed.</summary>
public static class ExternalProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>What one run printed. <see cref="Command"/> is the command line, for failure messages.</summary>
    public sealed record Result(string Command, int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Fails the test with the program's stderr when it exited with an error; otherwise returns its stdout.</summary>
        public string StdoutOrFail(string hint = "")
        {
            if (ExitCode == 0) return Stdout;
            throw new Xunit.Sdk.XunitException(
                $"{Command} exited with code {ExitCode}. {hint}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}");
        }
    }

    /// <summary>
    /// Runs <paramref name="program"/> in the repository root. Throws when it cannot start or runs past
    /// <paramref name="timeout"/> (3 minutes unless given: a long program sets its own).
    /// </summary>
    public static Result Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Paths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var command = string.Join(' ', new[] { program }.Concat(start.ArgumentList.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)));

        using var process = StartOrExplain(start);
        // Both streams are read concurrently: a large stdout would otherwise block the child while we wait on stderr.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{command} did not finish within {limit.TotalMinutes} minutes.");
        }
        return new Result(command, process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process StartOrExplain(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{start.FileName}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{start.FileName}' ({ex.Message}). Is it installed and on PATH?", ex);
        }
    }
}
