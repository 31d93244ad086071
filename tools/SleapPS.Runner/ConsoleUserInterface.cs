using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace SleapPS.Runner;

/// <summary>Writes to stdout/stderr; refuses every prompt, because scripts run here unattended.</summary>
internal sealed class ConsoleUserInterface : PSHostUserInterface
{
    public override PSHostRawUserInterface RawUI { get; } = new ConsoleRawUserInterface();

    // Colour escape codes only help a terminal; logs and pipes get plain text.
    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;

    public override void Write(string value) => Console.Out.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
    public override void WriteLine(string value) => Console.Out.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => Console.Error.WriteLine(Plain(value));
    public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);
    public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
    public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
    public override void WriteProgress(long sourceId, ProgressRecord record) { }

    public override string ReadLine() => Console.In.ReadLine() ?? "";
    public override SecureString ReadLineAsSecureString() => throw NotInteractive();
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NotInteractive();
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive();

    private string Plain(string text) => GetOutputString(text, SupportsVirtualTerminal);

    private static NotSupportedException NotInteractive() =>
        new("SleapPS.Runner runs scripts unattended and cannot prompt; pass the value as a parameter (for -Confirm prompts, add -Confirm:$false).");
}
