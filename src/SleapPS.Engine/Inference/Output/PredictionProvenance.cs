using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Output;

/// <summary>
/// The provenance sleap-track writes into its output labels (docs/design/inference.md §16.2, docs/design/file-formats.md §3): model_paths,
/// model_formats (SleapPS's), predictor, sleap_version, platform, command, data_path, output_path, total_elapsed, start_timestamp,
/// finish_timestamp and args (every setting). sleap_version names this library ("sleapps 0.1.0"): SLEAP did not make
/// these predictions, and a reader should be able to tell.
/// </summary>
public static class PredictionProvenance
{
    /// <summary>This library's version, as written in provenance.</summary>
    public static string Version { get; } =
        typeof(PredictionProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PredictionProvenance).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <param name="predictor">The models that predicted.</param>
    /// <param name="settings">The settings they ran with (the predictor's, with the run's overrides).</param>
    /// <param name="command">The command line that ran (PowerShell's invocation line), or null.</param>
    /// <param name="dataPath">What was predicted on: a video path, several joined by "; ", or a labels file.</param>
    /// <param name="outputPath">The .slp written, or null when the labels were only returned.</param>
    /// <param name="start">When the run started (local time).</param>
    /// <param name="finish">When it finished.</param>
    /// <param name="extraArgs">The run's other arguments (frames, -NoEmptyFrames, ...), added to args.</param>
    public static Dictionary<string, object?> Build(Predictor predictor, InferenceSettings settings, string? command, string dataPath,
        string? outputPath, DateTime start, DateTime finish, IReadOnlyDictionary<string, object?>? extraArgs = null)
    {
        var args = SettingsArgs(settings);
        args["device"] = predictor.Device.ToString();
        if (extraArgs is not null)
            foreach (var (key, value) in extraArgs) args[key] = value;
        return new Dictionary<string, object?>
        {
            ["model_paths"] = predictor.Models.Select(m => (object?)m.ModelFolder).ToList(),
            // Beside each model path, what it was loaded from (KerasHdf5, SleapNnOnnx, ...): SLEAP 1.4 and sleap-nn infer differently.
            ["model_formats"] = predictor.Models.Select(m => (object?)m.Format.ToString()).ToList(),
            ["predictor"] = PredictorClassName(predictor.Kind),
            ["sleap_version"] = "sleapps " + Version,
            ["sleapps_version"] = Version,
            ["platform"] = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture} ({RuntimeInformation.FrameworkDescription})",
            ["command"] = command,
            ["data_path"] = dataPath,
            ["output_path"] = outputPath,
            ["total_elapsed"] = (finish - start).TotalSeconds,
            ["start_timestamp"] = Timestamp(start),
            ["finish_timestamp"] = Timestamp(finish),
            ["args"] = args,
        };
    }

    /// <summary>
    /// Every inference setting under sleap-track's argument names; the instance filters, when on, under sleap-nn's
    /// (left out when off, so that runs without them record what SLEAP records).
    /// </summary>
    public static Dictionary<string, object?> SettingsArgs(InferenceSettings settings)
    {
        var args = new Dictionary<string, object?>
        {
            ["batch_size"] = (long)settings.BatchSize,
            ["peak_threshold"] = settings.PeakThreshold,
            ["refinement"] = settings.Refinement.ToString().ToLowerInvariant(),
            ["integral_patch_size"] = (long)settings.IntegralPatchSize,
            ["max_edge_length_ratio"] = settings.MaxEdgeLengthRatio,
            ["dist_penalty_weight"] = settings.DistPenaltyWeight,
            ["paf_line_points"] = (long)settings.PafLinePoints,
            ["min_line_scores"] = settings.MinLineScores,
            ["max_instances"] = settings.MaxInstances is int max ? (long)max : null,
        };
        if (settings.MinVisibleNodes > 0) args["filter_min_visible_nodes"] = (long)settings.MinVisibleNodes;
        if (settings.MinInstanceScore > 0) args["filter_min_instance_score"] = settings.MinInstanceScore;
        if (settings.OverlapMethod != Filtering.OverlapMethod.None)
        {
            args["filter_overlapping"] = true;
            args["filter_overlapping_method"] = settings.OverlapMethod.ToString().ToLowerInvariant();
            args["filter_overlapping_threshold"] = settings.OverlapThreshold;
        }
        return args;
    }

    /// <summary>The name of SLEAP's predictor class for a kind ("TopDownPredictor").</summary>
    public static string PredictorClassName(PredictorKind kind) => kind + "Predictor";

    /// <summary>Python's str(datetime.now()): "2024-05-01 12:34:56.789012".</summary>
    public static string Timestamp(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
