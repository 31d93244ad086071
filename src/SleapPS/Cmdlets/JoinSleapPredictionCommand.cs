using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Inference.Sharding;

namespace SleapPS.Cmdlets;

/// <summary>
/// Joins the parts a sharded prediction run (Invoke-SleapPredict -Shard) wrote into one .slp per video, each the file
/// one machine would have written (docs/design/sharding.md §4). A video whose parts are no complete set of one run is
/// reported and left unjoined; the others are joined.
/// </summary>
[Cmdlet(VerbsCommon.Join, "SleapPrediction", DefaultParameterSetName = FolderSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class JoinSleapPredictionCommand : CancellableCmdlet
{
    private const string FolderSet = "OutputDirectory";
    private const string PathSet = PathInputCmdlet.PathSet;
    private const string LiteralPathSet = PathInputCmdlet.LiteralPathSet;
    private const int ProgressId = 43;

    private readonly List<string> _parts = [];
    private readonly List<string> _folders = [];

    /// <summary>The folder the shards wrote their parts to (Invoke-SleapPredict -OutputDirectory): every video in it is joined.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FolderSet)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = null!;

    /// <summary>Part files (wildcards allowed): each video's parts among them are joined.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Part files taken exactly as written; binds Get-ChildItem output by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Replace a joined file that is already there.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the joined files.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FolderSet)
        {
            _folders.Add(ResolveOutputPath(OutputDirectory));
            return;
        }
        _parts.AddRange(ResolveInputPaths(Path, LiteralPath));
    }

    /// <summary>Parts are gathered first: the parts of one video may come down the pipeline one by one.</summary>
    protected override void EndProcessing()
    {
        var sets = new List<ShardPartSet>();
        foreach (string folder in _folders)
        {
            var found = OrFail(() => ShardPartSet.InFolder(folder), "OutputDirectoryNotFound");
            if (found.Count == 0)
                Report(new SleapException(SleapErrorKind.NotFound,
                    $"The folder '{folder}' holds no shard parts ('*.shard-<i>-of-<n>.slp'): run Invoke-SleapPredict -Shard with -OutputDirectory '{folder}' first.", folder), "NoParts");
            sets.AddRange(found);
        }
        if (_parts.Count > 0) sets.AddRange(OrFail(() => ShardPartSet.Group(_parts), "NotAPart"));

        for (int i = 0; i < sets.Count; i++)
        {
            if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
            var set = sets[i];
            WriteProgress(new ProgressRecord(ProgressId, "Joining shard parts", $"{System.IO.Path.GetFileName(set.OutputPath)} ({set.PartPaths.Count} parts)")
            {
                PercentComplete = 100 * i / sets.Count,
            });
            if (!ShouldProcess(set.OutputPath, $"Join {set.PartPaths.Count} shard part{(set.PartPaths.Count == 1 ? "" : "s")}")) continue;
            try
            {
                var result = ShardJoin.Join(set, Force);
                WriteVerbose($"Joined '{result.OutputPath}': {result.PartCount} parts of a {result.ShardCount}-shard run, {result.FrameCount} frames, " +
                    $"{result.InstanceCount} instances, in {result.Elapsed.TotalSeconds:0.00} s.");
                if (PassThru) WriteObject(ProviderItem(result.OutputPath));
            }
            catch (SleapException ex)
            {
                Report(ex, ex.Kind switch
                {
                    SleapErrorKind.WriteError when File.Exists(set.OutputPath) && !Force => "OutputExists",
                    SleapErrorKind.WriteError or SleapErrorKind.NotFound => "OutputNotWritable",
                    _ => "PartsNotJoinable",
                });
            }
        }
        WriteProgress(new ProgressRecord(ProgressId, "Joining shard parts", "Done") { RecordType = ProgressRecordType.Completed });
    }
}
