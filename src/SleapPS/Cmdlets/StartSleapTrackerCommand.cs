using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;

namespace SleapPS.Cmdlets;

/// <summary>
/// SLEAP's re-tracking (<c>sleap-track labels.slp --tracking.tracker …</c>): gives the instances of
/// labels new identities with SLEAP's trackers. Emits a tracked copy; the input is left as it was.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SleapTracker", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(Labels))]
public sealed class StartSleapTrackerCommand : SleapCmdlet
{
    private const string InputObjectSet = "InputObject";
    private const string PathSet = "Path";

    private readonly CancellationTokenSource _stopping = new();
    private TrackerOptions _options = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ValidateSet(TrackerParameters.Simple, TrackerParameters.Flow, TrackerParameters.SimpleMaxTracks, TrackerParameters.FlowMaxTracks, TrackerParameters.None)]
    public string Tracker { get; set; } = TrackerParameters.Flow;

    [Parameter]
    [ValidateSet(TrackerParameters.Instance, TrackerParameters.NormalizedInstance, TrackerParameters.Centroid, TrackerParameters.Iou, TrackerParameters.ObjectKeypoint)]
    public string Similarity { get; set; } = TrackerParameters.Instance;

    [Parameter]
    [ValidateSet(TrackerParameters.Greedy, TrackerParameters.Hungarian)]
    public string Match { get; set; } = TrackerParameters.Greedy;

    [Parameter] public int TrackWindow { get; set; } = 5;
    [Parameter] public double Robust { get; set; } = 1.0;
    [Parameter] public int MinNewTrackPoints { get; set; }
    [Parameter] public int MinMatchPoints { get; set; }

    [Parameter]
    [Alias("OfImgScale")]
    public double ImgScale { get; set; } = 1.0;

    [Parameter] public int OfWindowSize { get; set; } = 21;
    [Parameter] public int OfMaxLevels { get; set; } = 3;
    [Parameter] public SwitchParameter SaveShiftedInstances { get; set; }
    [Parameter] public int TargetInstanceCount { get; set; }
    [Parameter] public SwitchParameter PreCullToTarget { get; set; }
    [Parameter] public double? PreCullIouThreshold { get; set; }
    [Parameter] public SwitchParameter PostConnectSingleBreaks { get; set; }
    [Parameter] public int CleanInstanceCount { get; set; }
    [Parameter] public double? CleanIouThreshold { get; set; }
    [Parameter] public int? MaxTracks { get; set; }

    [Parameter]
    [Alias("KfInitFrameCount")]
    public int KalmanInitFrameCount { get; set; }

    [Parameter]
    [Alias("KfNodeIndices")]
    public int[]? KalmanNodeIndices { get; set; }

    [Parameter] public double[]? OksErrors { get; set; }
    [Parameter] public SwitchParameter OksScoreWeighting { get; set; }

    [Parameter]
    [ValidateSet(TrackerParameters.All, TrackerParameters.Ref, TrackerParameters.Union)]
    public string OksNormalization { get; set; } = TrackerParameters.All;

    protected override void BeginProcessing()
    {
        try
        {
            _options = new TrackerOptions
            {
                Tracker = TrackerParameters.TrackerOf(Tracker),
                Similarity = TrackerParameters.SimilarityOf(Similarity),
                Match = TrackerParameters.MatchOf(Match),
                TrackWindow = TrackWindow,
                Robust = Robust,
                MinNewTrackPoints = MinNewTrackPoints,
                MinMatchPoints = MinMatchPoints,
                ImgScale = ImgScale,
                OfWindowSize = OfWindowSize,
                OfMaxLevels = OfMaxLevels,
                SaveShiftedInstances = SaveShiftedInstances,
                TargetInstanceCount = TargetInstanceCount,
                PreCullToTarget = PreCullToTarget,
                PreCullIouThreshold = PreCullIouThreshold,
                PostConnectSingleBreaks = PostConnectSingleBreaks,
                CleanInstanceCount = CleanInstanceCount,
                CleanIouThreshold = CleanIouThreshold,
                // As in SLEAP's GUI and load_model: a track limit turns max-tracks tracking on.
                MaxTracks = MaxTracks,
                MaxTracking = MaxTracks is > 0,
                KfInitFrameCount = KalmanInitFrameCount,
                KfNodeIndices = KalmanNodeIndices,
                OksErrors = OksErrors,
                OksScoreWeighting = OksScoreWeighting,
                OksNormalization = TrackerParameters.OksNormalizationOf(OksNormalization),
            };
            // Checks the combination once, before any input is read.
            new FrameTracker(_options).Dispose();
        }
        catch (SleapException ex)
        {
            Fail(ex, "InvalidTrackerOptions");
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            Track(InputObject);
            return;
        }
        foreach (string input in Path)
        {
            foreach (string path in ResolveInputPaths(input, literal: false))
            {
                Labels labels;
                try
                {
                    labels = LabelsReader.Read(path);
                }
                catch (SleapException ex)
                {
                    Report(ex, "LabelsReadFailed");
                    continue;
                }
                Track(labels);
            }
        }
    }

    protected override void StopProcessing() => _stopping.Cancel();

    protected override void EndProcessing() => _stopping.Dispose();

    private void Track(Labels labels)
    {
        string activity = $"Tracking {labels.SourcePath ?? "labels"} ({Tracker})";
        try
        {
            var tracked = LabelsTracking.Track(labels, _options, new ProgressWriter(this, activity), _stopping.Token, WriteWarning);
            var done = new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed };
            WriteProgress(done);
            WriteVerbose($"{labels.SourcePath ?? "Labels"}: {tracked.Tracks.Count} tracks over {tracked.LabeledFrames.Count} frames.");
            WriteObject(tracked);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (SleapException ex)
        {
            Report(ex, "TrackingFailed");
        }
    }

    /// <summary>Reports each frame as it is tracked (on the pipeline thread: tracking runs synchronously).</summary>
    private sealed class ProgressWriter(StartSleapTrackerCommand cmdlet, string activity) : IProgress<TrackingProgress>
    {
        public void Report(TrackingProgress value)
        {
            var record = new ProgressRecord(1, activity, $"Frame {value.FrameIndex} ({value.FramesDone} of {value.FrameCount})")
            {
                PercentComplete = (int)(100L * value.FramesDone / Math.Max(value.FrameCount, 1)),
            };
            cmdlet.WriteProgress(record);
        }
    }
}
