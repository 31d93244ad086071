using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Cmdlets;

/// <summary>
/// Loads trained SLEAP models (SLEAP 1.4 model folders or their training_config.json, sleap-nn model folders or their
/// best.ckpt or training_config.yaml, converted .onnx files or sleap-nn exports) and emits the one Predictor they make
/// together, with its inference settings.
/// </summary>
[Cmdlet(VerbsData.Import, "SleapModel", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Predictor))]
public sealed class ImportSleapModelCommand : PathInputCmdlet, IDynamicParameters
{
    private const int ProgressId = 31;

    private readonly List<string> _paths = [];
    private readonly List<string> _missing = [];

    /// <summary>What a user can give: the sets of models that make a predictor.</summary>
    private const string PredictorSets =
        "A predictor is made by one single_instance model; a centroid and a centered_instance model (top-down); a centroid and a " +
        "multi_class_topdown model (top-down multi-class); one multi_instance model (bottom-up); or one multi_class_bottomup model.";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CacheFolder { get; set; }

    /// <summary>-Device, -Precision and the inference settings, declared once for this cmdlet and Invoke-SleapPredict.</summary>
    private readonly InferenceParameters _inference = new();

    public object GetDynamicParameters() => _inference;

    protected override void ProcessRecord()
    {
        _paths.AddRange(InputPaths(notFound: ex => _missing.Add(ex.Path!)));
    }

    protected override void EndProcessing()
    {
        // A predictor made of the models that were found would be half of what was asked for: stop instead.
        if (_missing.Count > 0)
            Fail(new SleapException(SleapErrorKind.NotFound,
                $"No model was found at {string.Join(", ", _missing.Select(m => $"'{m}'"))}, so no predictor was made. Check the path{(_missing.Count > 1 ? "s" : "")}. " + PredictorSets,
                _missing[0]), "ModelNotFound");
        if (_paths.Count == 0)
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                "No model path could be resolved, so no predictor can be made. Give the folders of trained SLEAP or sleap-nn models (or their training_config.json, best.ckpt or training_config.yaml, or model.onnx)."),
                "NoModel");

        var inference = _inference.Of(this);
        var settings = OrFail(() => inference.Settings(new InferenceSettings()), InferenceParameters.InvalidSettingErrorId);
        // Auto unless given: the GPU when its libraries load, else the CPU (docs/design/gpu.md §2). Resolved before any
        // model is read, so that a device that cannot be used stops the command with its own error.
        var device = OrFail(() => DeviceSelection.Resolve(inference.Given(nameof(inference.Device)) ? inference.Device : ExecutionDevice.Auto, WriteVerbose),
            "DeviceUnavailable");
        var options = new ModelLoadOptions
        {
            Device = device,
            Precision = inference.Precision,
            CacheFolder = CacheFolder is null ? null : ResolveOutputPath(CacheFolder),
            Log = WriteVerbose,
            Progress = WriteLoadProgress,
        };

        // InvalidArgument here means the models make no predictor together (e.g. two centroid models).
        var predictor = OrFail(() => Predictor.Load(_paths, options, settings),
            ex => ex.Kind == SleapErrorKind.InvalidArgument ? "NoPredictor" : "ModelLoadFailed");
        if (predictor.IgnoredModels.Count > 0)
        {
            // SLEAP would quietly drop them; the user meant them to take part.
            predictor.Dispose();
            Fail(new SleapException(SleapErrorKind.InvalidArgument,
                $"The models do not make one predictor: a {predictor.Kind} predictor would leave out {string.Join(", ", predictor.IgnoredModels.Select(m => $"'{m}'"))}. " +
                PredictorSets + " Give the models of one predictor.", predictor.IgnoredModels[0]), "NoPredictor");
        }
        if (inference.AutoBatchSize)
        {
            try
            {
                predictor.UseSettings(settings with { BatchSize = AutoBatchSize.For(predictor) });
            }
            catch (SleapException ex)
            {
                predictor.Dispose();   // a model too large for the GPU's free memory: nothing is emitted
                Fail(ex, "BatchSizeUnavailable");
            }
            WriteVerbose($"Batch size Auto: {predictor.Settings.BatchSize} frames a batch on {predictor.Device}.");
        }
        foreach (var model in predictor.Models)
            WriteVerbose(model.LoadedFromCache
                ? $"{model.Config.ModelTypeName} '{model.SourcePath}': read from the model cache; loaded in {model.LoadTime.TotalSeconds:0.00} s on {model.Device}."
                : $"{model.Config.ModelTypeName} '{model.SourcePath}': loaded in {model.LoadTime.TotalSeconds:0.00} s on {model.Device}" +
                  (model.ConversionTime is { } t ? $" (conversion {t.TotalSeconds:0.00} s)." : "."));
        WriteObject(predictor);
    }

    private void WriteLoadProgress(ModelLoadProgress progress)
    {
        var record = new ProgressRecord(ProgressId, "Importing SLEAP models",
            progress.Completed ? "Done" : $"{progress.Status}: {progress.ModelPath}")
        {
            PercentComplete = progress.PercentComplete,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }
}
