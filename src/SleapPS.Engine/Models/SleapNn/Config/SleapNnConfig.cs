using SleapPS.Engine.Data;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// What inference needs from a sleap-nn model's training_config.yaml (docs/design/sleap-nn-config.md): its model type,
/// skeleton, preprocessing, backbone and heads, typed. Immutable once read. <see cref="ToTrainingConfig"/> gives the
/// <see cref="TrainingConfig"/> that the predictor planner and the predictors use for every model family.
/// </summary>
/// <remarks>
/// Part names, PAF edges and classes left null in a config are what sleap-nn fills in when it trains; a config that was
/// never trained (no <c>data_config.skeletons</c>) still reads, with those null, but <see cref="ToTrainingConfig"/>
/// refuses it.
/// </remarks>
public sealed class SleapNnConfig
{
    /// <summary>The file sleap-nn writes into a model folder beside best.ckpt.</summary>
    public const string FileName = "training_config.yaml";

    private SleapNnConfig() { }

    /// <summary>Reads a model folder's training_config.yaml, or the given .yaml file.</summary>
    /// <exception cref="SleapException">
    /// NotFound when the path or the folder's training_config.yaml does not exist; InvalidData when the file is not YAML
    /// or a field is missing or malformed; NotSupported for a model SleapPS cannot run; ReadError for I/O failures.
    /// </exception>
    public static SleapNnConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = System.IO.Path.GetFullPath(path);
        string file = Directory.Exists(full) ? System.IO.Path.Combine(full, FileName) : full;
        if (!File.Exists(file))
            throw new SleapException(SleapErrorKind.NotFound, Directory.Exists(full)
                    ? $"The model folder '{full}' has no {FileName}. Give the folder of a model trained by sleap-nn (it holds best.ckpt and {FileName})."
                    : $"Cannot find the sleap-nn training config '{full}'.",
                file);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read the training config '{file}': {ex.Message}", file, ex);
        }
        return Parse(text, file);
    }

    /// <summary>Reads a config from its YAML text; <paramref name="sourcePath"/> is the file it came from, named in errors.</summary>
    public static SleapNnConfig Parse(string yaml, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var fields = new YamlFields(sourcePath);
        YamlMapping root = YamlTreeReader.Read(yaml, sourcePath);

        YamlMapping model = fields.RequiredMapping(root, "", "model_config");
        YamlMapping? data = fields.OptionalMapping(root, "", "data_config");
        Skeleton? skeleton = SleapNnSkeletonReader.Read(fields, data);
        SleapNnBackbone backbone = SleapNnBackboneReader.Read(fields, model);
        SleapNnHeadsReader.Result heads = SleapNnHeadsReader.Read(fields, model, backbone, skeleton);
        SleapNnPreprocessing preprocessing = SleapNnPreprocessingReader.Read(fields, data);

        return new SleapNnConfig
        {
            SourcePath = sourcePath,
            ModelType = heads.ModelType,
            Skeleton = skeleton,
            Preprocessing = preprocessing,
            Backbone = backbone,
            Heads = heads.Heads,
            HeadSigmas = heads.Sigmas,
            AnchorPart = heads.AnchorPart,
            PartNames = heads.PartNames,
            PafEdges = heads.PafEdges,
            ClassNames = heads.ClassNames,
            SleapNnVersion = root["sleap_nn_version"] is YamlScalar { IsNull: false } version ? version.Text : null,
        };
    }

    /// <summary>The full path of the YAML file this config was read from.</summary>
    public string SourcePath { get; private init; } = "";

    /// <summary>The folder holding the config, where best.ckpt is.</summary>
    public string ModelFolder => System.IO.Path.GetDirectoryName(SourcePath) ?? "";

    public ModelType ModelType { get; private init; }

    /// <summary>sleap-nn's name for the model type (the <c>head_configs</c> key: <c>bottomup</c>, not SLEAP 1.4's <c>multi_instance</c>).</summary>
    public string ModelTypeName => SleapNnModelTypes.ToSleapNn(ModelType);

    /// <summary><c>data_config.skeletons[0]</c>; null when the config was never trained.</summary>
    public Skeleton? Skeleton { get; private init; }

    public SleapNnPreprocessing Preprocessing { get; private init; } = new();

    public SleapNnBackbone Backbone { get; private init; } = null!;

    /// <summary>The heads in sleap-nn's build order (the index of <c>model.head_layers.I</c> in the checkpoint).</summary>
    public IReadOnlyList<SleapNnHead> Heads { get; private init; } = [];

    /// <summary>Each head's training sigma, in <see cref="Heads"/> order; NaN for class vectors, which have none.</summary>
    public IReadOnlyList<double> HeadSigmas { get; private init; } = [];

    /// <summary>The confidence-map head's <c>anchor_part</c> (centroid and top-down models); null: the mean of the visible nodes.</summary>
    public string? AnchorPart { get; private init; }

    /// <summary>
    /// The confidence-map channels as the config names them (<c>part_names</c>, or the skeleton's nodes when null;
    /// a centroid model: the skeleton's nodes). sleap-nn puts channel i on skeleton node i whatever the names say.
    /// Null when neither the config nor a skeleton names them.
    /// </summary>
    public IReadOnlyList<string>? PartNames { get; private init; }

    /// <summary>Bottom-up PAF edges as pairs of <see cref="PartNames"/>, in channel order; null for other models or when unresolved.</summary>
    public IReadOnlyList<(string Source, string Destination)>? PafEdges { get; private init; }

    /// <summary>The identity classes in channel order (multi-class models); null for other models or when unresolved.</summary>
    public IReadOnlyList<string>? ClassNames { get; private init; }

    /// <summary>The <c>sleap_nn_version</c> the config records, if any.</summary>
    public string? SleapNnVersion { get; private init; }

    /// <summary>The settings in the form every predictor reads (docs/design/sleap-nn-config.md §7).</summary>
    /// <exception cref="SleapException">InvalidData or NotSupported when the config lacks what inference needs.</exception>
    public TrainingConfig ToTrainingConfig() => SleapNnTrainingConfigMapper.Map(this);

    public override string ToString() => $"sleap-nn {ModelTypeName} model '{ModelFolder}'";
}
