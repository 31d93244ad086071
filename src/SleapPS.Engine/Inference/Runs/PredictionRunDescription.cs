using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.IO.Json;
using SleapPS.Engine.Tracking;

namespace SleapPS.Engine.Inference.Runs;

/// <summary>
/// What identifies a run for a resume (docs/design/file-formats.md §7): models, settings, inputs and frames, empty
/// frames and tracking, never how the command was typed. A resumed run continues the parts only when this text is the same.
/// </summary>
public static class PredictionRunDescription
{
    public static string Of(PredictionRunOptions options)
    {
        var run = new Dictionary<string, object?>
        {
            ["models"] = options.Predictor.Models.Select(m => (object?)m.SourcePath).ToList(),
            ["settings"] = PredictionProvenance.SettingsArgs(options.Settings),
            ["targets"] = options.Targets.Select(t => (object?)t.ToString()).ToList(),
            ["no_empty_frames"] = options.NoEmptyFrames,
        };
        // A tracked run's parts hold tracks and empty frames: only the same tracking may resume it.
        if (options.Tracking is not null) run["tracking"] = TrackingProvenance.Args(options.Tracking);
        return JsonValues.FromPlain(run)!.ToJsonString();
    }
}
