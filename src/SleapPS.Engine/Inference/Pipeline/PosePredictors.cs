using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.Inference.SingleInstance;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>Makes the predictor of a loaded <see cref="Predictor"/>'s kind (inference.md §2).</summary>
public static class PosePredictors
{
    /// <param name="predictor">The loaded models; they stay the caller's to dispose.</param>
    /// <param name="settings">The settings to run with (the predictor's own, or a run's overrides).</param>
    public static PosePredictor Create(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return predictor.Kind switch
        {
            PredictorKind.SingleInstance => new SingleInstancePredictor(predictor, settings),
            PredictorKind.TopDown => new TopDownPredictor(predictor, settings),
            PredictorKind.TopDownMultiClass => new TopDownMultiClassPredictor(predictor, settings),
            PredictorKind.BottomUp => new BottomUpPredictor(predictor, settings),
            PredictorKind.BottomUpMultiClass => new BottomUpMultiClassPredictor(predictor, settings),
            _ => throw new ArgumentOutOfRangeException(nameof(predictor), predictor.Kind, "Unknown predictor kind."),
        };
    }

    /// <summary>
    /// Tells a predictor that resizes frames to the largest frame of its inputs (SLEAP's SizeMatcher without a target
    /// in the config, inference.md §3.2) what that size is, from the videos to predict on (opened when their size is unknown).
    /// </summary>
    public static void SetInputVideos(PosePredictor predictor, IEnumerable<Video> videos)
    {
        int height = 0, width = 0;
        foreach (var video in videos)
        {
            height = Math.Max(height, video.Height ?? 0);
            width = Math.Max(width, video.Width ?? 0);
        }
        if (height == 0 || width == 0) return;
        switch (predictor)
        {
            case SingleInstancePredictor single: single.ProviderMaxSize = (height, width); break;
            case TopDownPredictor topDown: topDown.ProviderMaxSize = (height, width); break;
        }
    }
}
