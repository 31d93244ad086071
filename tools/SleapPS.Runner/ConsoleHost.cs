using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace SleapPS.Runner;

/// <summary>
/// A minimal non-interactive host: Out-Default and Write-Host print through it, so output is
/// formatted by PowerShell's own formatter (and the module's format file) onto stdout.
/// </summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUserInterface _ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "SleapPS.Runner";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("SleapPS.Runner is not interactive.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("SleapPS.Runner is not interactive.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    /// <summary>An error record as pwsh shows it: the message, then where in the script it happened.</summary>
    public static void WriteError(ErrorRecord record)
    {
        Console.Error.WriteLine("ERROR: " + record);
        var position = record.InvocationInfo?.PositionMessage;
        if (!string.IsNullOrEmpty(position)) Console.Error.WriteLine(position);
        else if (!string.IsNullOrEmpty(record.ScriptStackTrace)) Console.Error.WriteLine(record.ScriptStackTrace);
    }
}
