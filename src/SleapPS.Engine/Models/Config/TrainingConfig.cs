using SleapPS.Engine.Data;

namespace SleapPS.Engine.Models.Config;

/// <summary>
/// The settings of a trained SLEAP model that inference needs, read from its training_config.json
/// (docs/design/models.md §2). Immutable once read.
/// </summary>
public sealed class TrainingConfig
{
    /// <summary>The file SLEAP looks for in a model folder.</summary>
    public const string FileName = "training_config.json";

    /// <summary>The config as submitted before training; used only when asked for by name (see <see cref="Load"/>).</summary>
    public const string InitialFileName = "initial_config.json";

    internal TrainingConfig() { }

    /// <summary>
    /// Reads a model's config from a model folder (its training_config.json), a training_config.json, or another
    /// .json config file.
    /// </summary>
    /// <remarks>
    /// Like SLEAP's <c>load_config</c>, a folder means its training_config.json only (initial_config.json holds the
    /// settings before training resolved crop size, part names and classes, so it is not a substitute), and a path
    /// to initial_config.json reads the training_config.json beside it when there is one.
    /// </remarks>
    /// <exception cref="SleapException">
    /// NotFound when the path or the folder's training_config.json does not exist; InvalidData when the file is
    /// not JSON or a field is malformed; NotSupported for a model kind SleapPS cannot run; ReadError for I/O failures.
    /// </exception>
    public static TrainingConfig Load(string path) => TrainingConfigFile.Load(path);

    /// <summary>Reads a config from its JSON text; <paramref name="sourcePath"/> is the file it came from, named in errors.</summary>
    public static TrainingConfig Parse(string json, string sourcePath) => TrainingConfigParser.Parse(json, sourcePath);

    /// <summary>The full path of the JSON file this config was read from.</summary>
    public string SourcePath { get; internal init; } = "";

    /// <summary>The folder holding the config, where best_model.h5 is.</summary>
    public string ModelFolder => Path.GetDirectoryName(SourcePath) ?? "";

    public ModelType ModelType { get; internal init; }

    /// <summary>Whose inference rules the model follows: SLEAP 1.4's (training_config.json) or sleap-nn's (training_config.yaml, exports).</summary>
    public ModelFamily Family { get; internal init; } = ModelFamily.Sleap;

    /// <summary>
    /// The predictor the model makes on its own when its one graph is a whole predictor (a sleap-nn export, which runs
    /// alone: docs/design/sleap-nn-exports.md §5); null for a model that is one stage of a predictor.
    /// </summary>
    public PredictorKind? StandaloneKind { get; internal init; }

    /// <summary><c>data.labels.skeletons[0]</c>: the skeleton the model was trained on; its node order is the point order.</summary>
    public Skeleton Skeleton { get; internal init; } = null!;

    public PreprocessingConfig Preprocessing { get; internal init; } = new();

    public InstanceCroppingConfig InstanceCropping { get; internal init; } = new();

    public BackboneConfig Backbone { get; internal init; } = null!;

    /// <summary>Every output head, in the order SLEAP builds them (= the Keras output order): confidence maps, then PAFs or class maps/vectors, then offset refinement.</summary>
    public IReadOnlyList<HeadConfig> Heads { get; internal init; } = [];

    /// <summary>The head's <c>anchor_part</c> (centroid, centered-instance and top-down ID models); null means the bounding-box midpoint.</summary>
    public string? AnchorPart { get; internal init; }

    /// <summary>
    /// The parts the model predicts, in confidence-map channel order (the head's <c>part_names</c>, or the skeleton's
    /// nodes when it is null). Centroid models predict no parts: their skeleton's nodes.
    /// </summary>
    public IReadOnlyList<string> PartNames { get; internal init; } = [];

    /// <summary>The part affinity field edges in channel order (bottom-up models); empty for other models.</summary>
    public IReadOnlyList<(string Source, string Destination)> PafEdges { get; internal init; } = [];

    /// <summary>The identity classes (track names) in channel order (multi-class models); empty for other models.</summary>
    public IReadOnlyList<string> ClassNames { get; internal init; } = [];

    /// <summary>The backbone's max stride: network inputs must have heights and widths that are multiples of it.</summary>
    public int MaxStride => Backbone.MaxStride;

    /// <summary>The first head of a kind, or null when the model has none.</summary>
    public HeadConfig? FindHead(HeadKind kind) => Heads.FirstOrDefault(h => h.Kind == kind);

    /// <summary>
    /// The model type as the model's own family names it: SLEAP's <c>model.heads</c> key, or sleap-nn's
    /// <c>head_configs</c> key (<c>bottomup</c> where SLEAP says <c>multi_instance</c>).
    /// </summary>
    public string ModelTypeName => Family == ModelFamily.SleapNn ? SleapNn.Config.SleapNnModelTypes.ToSleapNn(ModelType) : ModelTypeNames.ToSleap(ModelType);

    public override string ToString() => $"{ModelTypeName} model '{ModelFolder}'";
}
