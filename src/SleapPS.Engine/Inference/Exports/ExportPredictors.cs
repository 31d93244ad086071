using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>Makes the predictor of a sleap-nn export from its metadata's model_type (docs/design/sleap-nn-exports.md §3).</summary>
public static class ExportPredictors
{
    /// <summary>True when the predictor's models include a sleap-nn export, which only this backend runs.</summary>
    public static bool Handles(Predictor predictor)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        return predictor.Models.Any(m => m.SleapNn is not null);
    }

    /// <exception cref="SleapException">NotSupported for exports SleapPS loads but does not run (one top-down stage, multi-class bottom-up).</exception>
    public static PosePredictor Create(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        // Whole-predictor exports plan alone as the Main model (PredictorPlanner); any other export is one top-down stage.
        var export = predictor.Models.First(m => m.SleapNn is not null);
        if (!ReferenceEquals(export, predictor.Main))
            throw new SleapException(SleapErrorKind.NotSupported,
                $"'{export.SourcePath}' is a sleap-nn export of one top-down stage ({export.SleapNn!.ModelType}), which takes crops rather than frames. " +
                "Export the centroid and the centered-instance models together (sleap-nn export CENTROID_DIR INSTANCE_DIR -o OUT) and give that folder, " +
                "or give the trained model folders.", export.SourcePath);
        return export.SleapNn!.ModelType switch
        {
            "single_instance" => new SingleInstanceExportPredictor(predictor, settings),
            "centroid" => new CentroidExportPredictor(predictor, settings),
            SleapNnExport.TopDownCombined => new TopDownExportPredictor(predictor, settings),
            SleapNnExport.MultiClassTopDownCombined => new TopDownMultiClassExportPredictor(predictor, settings),
            "bottomup" => new BottomUpExportPredictor(predictor, settings),
            var type => throw new SleapException(SleapErrorKind.NotSupported,
                $"'{export.SourcePath}' is a sleap-nn export of model_type '{type}', which SleapPS loads but does not run yet " +
                "(it runs the single_instance, centroid, topdown, multi_class_topdown_combined and bottomup exports). Give the trained model folder instead.",
                export.SourcePath),
        };
    }
}
