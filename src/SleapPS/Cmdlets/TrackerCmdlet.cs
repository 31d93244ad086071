using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Tracking;

namespace SleapPS.Cmdlets;

/// <summary>
/// A cmdlet with SLEAP's tracker options as parameters (sleap-track's <c>--tracking.*</c>, docs/design/tracking.md §2), with
/// SLEAP's defaults and names: Start-SleapTracker and Invoke-SleapPredict share them. Each cmdlet declares its own
/// -Tracker, since their defaults differ (SLEAP's flow for re-tracking, none while predicting). Both run long, so they can be stopped.
/// </summary>
public abstract class TrackerCmdlet : CancellableCmdlet
{
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

    /// <summary>
    /// The options of the parameters with <paramref name="tracker"/>, checked as SLEAP checks them: an invalid
    /// combination stops the command (InvalidTrackerOptions, SLEAP's message) before any input is read.
    /// </summary>
    protected TrackerOptions TrackerOptionsOf(string tracker)
    {
        return OrFail(() =>
        {
            var options = new TrackerOptions
            {
                Tracker = TrackerParameters.TrackerOf(tracker),
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
            new FrameTracker(options).Dispose();
            return options;
        }, "InvalidTrackerOptions");
    }
}
