using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Package;

namespace SleapPS.Cmdlets;

/// <summary>
/// Writes labels as a SLEAP .slp file, a package with frames embedded (.pkg.slp), SLEAP's analysis HDF5 or CSV,
/// NWB (ndx-pose), a DeepLabCut CSV table or COCO keypoints JSON. Each file is written to a temporary file and moved
/// into place, so a failure never leaves half a file.
/// </summary>
[Cmdlet(VerbsData.Export, "SleapLabels", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSleapLabelsCommand : LabelsExportCmdlet
{
    private const int ProgressId = 1;

    /// <summary>The format to write; by default it follows the extension (.pkg.slp, .slp, .h5, .csv, .json, .nwb).</summary>
    [Parameter]
    public LabelsFormat? Format { get; set; }

    /// <summary>
    /// For a package: which frames to embed as images (default User, the frames with hand-labelled instances).
    /// Giving it with a plain .slp name writes a package.
    /// </summary>
    [Parameter]
    public EmbeddedFrames? EmbedFrames { get; set; }

    /// <summary>For Analysis, Csv and DeepLabCut: export only this video (one of the labels' videos).</summary>
    [Parameter]
    public Video? Video { get; set; }

    protected override void ProcessRecord()
    {
        string path = ResolveOutputPath(Path);
        try
        {
            var format = Format ?? LabelsFormats.FromPath(path);
            if (EmbedFrames is not null && format == LabelsFormat.Slp) format = LabelsFormat.PackageSlp;
            if (EmbedFrames is not null && format != LabelsFormat.PackageSlp)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"-EmbedFrames applies to packages (.pkg.slp), but '{path}' is written as {format}. Drop -EmbedFrames or write a .pkg.slp file.", path);
            foreach (var target in LabelsFormats.PlanTargets(InputObject, path, format, Video))
                Export(target, format);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (SleapException ex)
        {
            Fail(ex, "LabelsExportFailed");
        }
    }

    private void Export(ExportTarget target, LabelsFormat format)
    {
        ClaimOutput(target.Path);
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
            case LabelsFormat.DeepLabCut when Engine.IO.Dlc.DlcH5Writer.IsH5Name(target.Path):
                Engine.IO.Dlc.DlcH5Writer.Write(InputObject, target.Path, target.Video, WriteWarning);
                break;
            case LabelsFormat.DeepLabCut:
                Engine.IO.Dlc.DlcCsvWriter.Write(InputObject, target.Path, target.Video, WriteWarning);
                break;
            case LabelsFormat.Nwb:
                Engine.IO.Nwb.NwbWriter.Write(InputObject, target.Path);
                break;
            case LabelsFormat.Coco:
                Engine.IO.Coco.CocoWriter.Write(InputObject, target.Path);
                break;
            case LabelsFormat.PackageSlp:
                WritePackage(target.Path);
                break;
        }
        EmitWritten(target.Path);
    }

    private void WritePackage(string path)
    {
        string activity = $"Embedding frames in {path}";
        PackageSlpWriter.Write(InputObject, path, EmbedFrames ?? EmbeddedFrames.User, new PackageProgressWriter(this, activity), StopToken);
        WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>Reports each frame as it is encoded (on the pipeline thread: the package is written synchronously).</summary>
    private sealed class PackageProgressWriter(ExportSleapLabelsCommand cmdlet, string activity) : IProgress<PackageProgress>
    {
        public void Report(PackageProgress value) =>
            cmdlet.WriteProgress(new ProgressRecord(ProgressId, activity, $"Frame {value.FramesEncoded} of {value.FramesTotal}")
            {
                PercentComplete = (int)(100L * value.FramesEncoded / Math.Max(value.FramesTotal, 1)),
            });
    }
}
