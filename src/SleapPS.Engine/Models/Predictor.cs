using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Models;

/// <summary>
/// The SLEAP predictor a set of models makes (docs/design/inference.md §2), with its models loaded on one device
/// and the inference settings to run it with. What Import-SleapModel emits.
/// </summary>
public sealed class Predictor : IDisposable
{
    private Predictor(PredictorPlan plan, IReadOnlyDictionary<TrainingConfig, SleapModel> models, ExecutionDevice device,
        ModelLoadOptions options, InferenceSettings settings, IReadOnlyList<string> ignored)
    {
        Plan = plan;
        Device = device;
        Precision = options.Precision;
        CacheFolder = options.CacheFolder;
        Settings = settings;
        IgnoredModels = ignored;
        Centroid = plan.Centroid is null ? null : models[plan.Centroid];
        Instance = plan.Instance is null ? null : models[plan.Instance];
        Main = plan.Main is null ? null : models[plan.Main];
        Models = plan.Models.Select(c => models[c]).ToArray();
        Skeleton = plan.CentroidOnly
            ? CentroidInstances.SkeletonFor(Centroid!.Skeleton)
            : (Instance ?? Main ?? Centroid)!.Skeleton;
    }

    /// <summary>
    /// Loads every model path, plans the predictor they make, and keeps the models it uses; the others are
    /// released (and reported through <see cref="ModelLoadOptions.Log"/>). The device is resolved once, for all models.
    /// </summary>
    /// <exception cref="SleapException">
    /// InvalidArgument for models that make no predictor (e.g. two centroid models);
    /// the load errors of <see cref="SleapModel.Load"/>, naming the model at fault.
    /// </exception>
    public static Predictor Load(IReadOnlyList<string> paths, ModelLoadOptions options, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        var device = DeviceSelection.Resolve(options.Device, options.Log);

        var loaded = new List<SleapModel>();
        try
        {
            for (int i = 0; i < paths.Count; i++)
            {
                options.Progress?.Invoke(new ModelLoadProgress(paths[i], i, paths.Count, "Loading"));
                loaded.Add(SleapModel.Load(paths[i], options.ForModel(device, i, paths.Count)));
            }
            options.Progress?.Invoke(new ModelLoadProgress("", paths.Count, paths.Count, "Loaded", Completed: true));

            var plan = PredictorPlanner.Plan(loaded.Select(m => m.Config).ToArray());
            var byConfig = loaded.ToDictionary(m => m.Config); // TrainingConfig compares by reference
            var ignored = new List<string>();
            foreach (var config in plan.Ignored)
            {
                var model = byConfig[config];
                options.Report($"Ignoring '{model.SourcePath}' ({config.ModelTypeName}): a {plan.Kind} predictor does not use it, as in SLEAP.");
                ignored.Add(model.SourcePath);
                model.Dispose();
                loaded.Remove(model);
            }
            return new Predictor(plan, byConfig, device, options, settings, ignored);
        }
        catch
        {
            foreach (var model in loaded)
                model.Dispose();
            throw;
        }
    }

    public PredictorPlan Plan { get; }

    public PredictorKind Kind => Plan.Kind;

    /// <summary>The models that take part, in pipeline order (centroid then instance, or the one main model).</summary>
    public IReadOnlyList<SleapModel> Models { get; }

    /// <summary>Top-down: the centroid model (null when ground truth stands in).</summary>
    public SleapModel? Centroid { get; }

    /// <summary>Top-down: the centered-instance or multi-class top-down model (null when ground truth stands in).</summary>
    public SleapModel? Instance { get; }

    /// <summary>Single-instance and bottom-up kinds: the one model; any kind: a model that is a whole predictor in one graph (a sleap-nn export).</summary>
    public SleapModel? Main { get; }

    /// <summary>Top-down without a centroid model: centroids come from ground-truth instances (docs/design/inference.md §9.6).</summary>
    public bool CentroidFromGroundTruth => Plan.CentroidFromGroundTruth;

    /// <summary>Top-down without an instance model: poses come from the ground-truth instance nearest each centroid.</summary>
    public bool InstanceFromGroundTruth => Plan.InstanceFromGroundTruth;

    /// <summary>
    /// The skeleton of the predicted instances: the pose model's (the centroid model's when it is alone; for a sleap-nn
    /// centroid model alone, the one-node centroid skeleton of <see cref="CentroidInstances.SkeletonFor"/>).
    /// </summary>
    public Skeleton Skeleton { get; }

    /// <summary>The device the models run on: Cpu, Cuda or TensorRT (Auto is resolved when the models load).</summary>
    public ExecutionDevice Device { get; }

    public ModelPrecision Precision { get; }

    /// <summary>The model cache the models were loaded through (null: the default cache).</summary>
    public string? CacheFolder { get; }

    public InferenceSettings Settings { get; private set; }

    /// <summary>Replaces the settings the predictor runs with (Import-SleapModel's -BatchSize Auto, chosen once the models are loaded).</summary>
    public void UseSettings(InferenceSettings settings) => Settings = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>This predictor's models loaded again with other options (another device or precision), with its settings.</summary>
    public Predictor Reload(ModelLoadOptions options) => Load(Models.Select(m => m.SourcePath).ToArray(), options, Settings);

    /// <summary>The models given that the predictor does not use (released after loading).</summary>
    public IReadOnlyList<string> IgnoredModels { get; }

    /// <summary>Each model's type and format: "centroid (KerasHdf5), centered_instance (KerasHdf5)".</summary>
    public string ModelSummary => string.Join(", ", Models.Select(m => $"{m.Config.ModelTypeName} ({m.Format})"));

    /// <summary>Each model's input: "centroid 384x384x1 @ max stride 8".</summary>
    public IReadOnlyList<string> InputShapes => Models.Select(m => $"{m.Config.ModelTypeName} {m.InputShape}").ToArray();

    public void Dispose()
    {
        foreach (var model in Models)
            model.Dispose();
    }

    public override string ToString() => $"{Kind} predictor: {ModelSummary} on {Device}";
}
