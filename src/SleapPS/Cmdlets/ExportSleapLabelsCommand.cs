using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;

namespace SleapPS.Cmdlets;

/// <summary>
/// Writes labels as a SLEAP .slp file, SLEAP's analysis HDF5 or SLEAP's CSV. Each file is written
/// to a temporary file and moved into place, so a failure never leaves half a file.
/// </summary>
[Cmdlet(VerbsData.Export, "SleapLabels", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSleapLabelsCommand : SleapCmdlet
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FilePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>The format to write; by default it follows the extension (.slp, .h5, .csv).</summary>
    [Parameter]
    public LabelsFormat? Format { get; set; }

    /// <summary>For Analysis and Csv: export only this video (one of the labels' videos).</summary>
    [Parameter]
    public Video? Video { get; set; }

    /// <summary>Replace files that already exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the files written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string path = ResolveOutputPath(Path);
        try
        {
            var format = Format ?? LabelsFormats.FromPath(path);
            foreach (var target in LabelsFormats.PlanTargets(InputObject, path, format, Video))
                Export(target, format);
        }
        catch (SleapException ex)
        {
            Fail(ex, "LabelsExportFailed");
        }
    }

    private void Export(ExportTarget target, LabelsFormat format)
    {
        if (!_written.Add(target.Path))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"'{target.Path}' was already written by this command. Export each Labels object to its own file.", target.Path);
        if (!ShouldProcess(target.Path, $"Export SLEAP labels ({format})"))
            return;
        if (File.Exists(target.Path) && !Force)
            throw new SleapException(SleapErrorKind.WriteError,
                $"The file '{target.Path}' already exists. Use -Force to replace it.", target.Path);

        WriteVerbose($"Writing {format} to '{target.Path}'.");
        switch (format)
        {
            case LabelsFormat.Slp:
                SlpWriter.Write(InputObject, target.Path, storeFoundVideoPaths: true);
                break;
            case LabelsFormat.Analysis:
                AnalysisH5Writer.Write(InputObject, target.Path, target.Video, WriteWarning);
                break;
            case LabelsFormat.Csv:
                CsvWriter.Write(InputObject, target.Path, target.Video, WriteWarning);
                break;
        }
        if (PassThru)
            WriteObject(ProviderItem(target.Path));
    }
}
