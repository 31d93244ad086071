using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Tracking;

namespace SleapPS.Cmdlets;

/// <summary>
/// SLEAP's re-tracking (<c>sleap-track labels.slp --tracking.tracker …</c>): gives the instances of
/// labels new identities with SLEAP's trackers. Emits a tracked copy; the input is left as it was.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SleapTracker", DefaultParameterSetName = LabelsInputCmdlet.InputObjectSet)]
[OutputType(typeof(Labels))]
public sealed class StartSleapTrackerCommand : TrackerCmdlet
{
    private TrackerOptions _options = null!;

    // LabelsInputCmdlet's parameters, in its parameter sets, read by the same InputLabels: a class has one base, and
    // this cmdlet's carries the tracker parameters it shares with Invoke-SleapPredict.
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = LabelsInputCmdlet.InputObjectSet, ValueFromPipeline = true)]
    public Labels InputObject { get; set; } = null!;

    /// <summary>Labels files to track (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelsInputCmdlet.PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Labels files taken exactly as written (no wildcards); binds Get-ChildItem output by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LabelsInputCmdlet.LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ValidateSet(TrackerParameters.Simple, TrackerParameters.Flow, TrackerParameters.SimpleMaxTracks, TrackerParameters.FlowMaxTracks, TrackerParameters.None)]
    public string Tracker { get; set; } = TrackerParameters.Flow;

    /// <summary>Checks the combination once, before any input is read.</summary>
    protected override void BeginProcessing() => _options = TrackerOptionsOf(Tracker);

    protected override void ProcessRecord()
    {
        foreach (var labels in InputLabels(InputObject, Path, LiteralPath))
            Track(labels);
    }

    private void Track(Labels labels)
    {
        string activity = $"Tracking {labels.SourcePath ?? "labels"} ({Tracker})";
        try
        {
            var tracked = LabelsTracking.Track(labels, _options, new ProgressWriter(this, activity), StopToken, WriteWarning);
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
