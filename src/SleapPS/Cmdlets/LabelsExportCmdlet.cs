using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;

namespace SleapPS.Cmdlets;

/// <summary>
/// What Export-SleapLabels and Export-SleapVideo share: labels piped in, written to -Path; a file that is there is
/// replaced only with -Force; -PassThru emits the files written; and no file is written twice by one command (two
/// labels objects piped to one name would otherwise leave only the last).
/// </summary>
public abstract class LabelsExportCmdlet : CancellableCmdlet
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FilePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Replace files that already exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the files written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Takes <paramref name="path"/> for this command; throws InvalidArgument when it already wrote it.</summary>
    protected void ClaimOutput(string path)
    {
        if (!_written.Add(path))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"'{path}' was already written by this command. Export each Labels object to its own file.", path);
    }

    /// <summary>With -PassThru, emits the file written.</summary>
    protected void EmitWritten(string path)
    {
        if (PassThru) WriteObject(ProviderItem(path));
    }
}
