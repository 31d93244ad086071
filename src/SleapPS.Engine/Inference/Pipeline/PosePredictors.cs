using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.Inference.Exports;
using SleapPS.Engine.Inference.SingleInstance;
using SleapPS.Engine.Inference.TopDown;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>Makes the predictor of a loaded <see cref="Predictor"/>'s kind (docs/design/inference.md §2).</summary>
public static class PosePredictors
{
    /// <param name="predictor">The loaded models; they stay the caller's to dispose.</param>
    /// <param name="settings">The settings to run with (the predictor's own, or a run's overrides).</param>
    public static PosePredictor Create(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        // A sleap-nn export runs through its own backend (docs/design/sleap-nn-exports.md §3).
        if (ExportPredictors.Handles(predictor))
            return ExportPredictors.Create(predictor, settings);
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
    /// Gives a predictor SizeMatcher's target for configs that name none (docs/design/inference.md §3.2): the largest height and
    /// width over the videos of SLEAP's data provider. For labelled or suggested frames of a labels file that is every
    /// video of the file, whether or not it has frames to predict; a video predicted on its own (which is what
    /// sleap-track does with each video it is given, and with <c>--video.index</c>) is its own provider, so its frames
    /// are never resized and this need not be called. Videos of unknown size are opened to learn it; one that cannot
    /// be opened is left out (its frames fail when they are read).
    /// </summary>
    public static void SetProviderVideos(PosePredictor predictor, IEnumerable<Video> providerVideos)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(providerVideos);
        int height = 0, width = 0;
        foreach (var video in providerVideos)
        {
            if (video.Height is null || video.Width is null)
            {
                try
                {
                    FrameSources.Open(video).Dispose();
                }
                catch (SleapException)
                {
                    continue;
                }
            }
            height = Math.Max(height, video.Height ?? 0);
            width = Math.Max(width, video.Width ?? 0);
        }
        predictor.ProviderMaxSize = height > 0 && width > 0 ? (height, width) : null;
    }
}
