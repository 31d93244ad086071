using SleapPS.Engine.Data;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// Describes a sleap-nn model with the <see cref="TrainingConfig"/> every predictor reads (docs/design/sleap-nn-config.md §7).
/// </summary>
/// <remarks>
/// sleap-nn writes channel i of a confidence map onto skeleton node i, whatever <c>part_names</c> calls it (the
/// multi-class bottom-up fixture names its channels head and thorax on a skeleton of A and B, and sleap-nn predicts A
/// and B). So the TrainingConfig speaks the skeleton's names throughout: its part names are the skeleton's nodes, and PAF
/// edges, given in part names, are renamed by position.
/// </remarks>
internal static class SleapNnTrainingConfigMapper
{
    public static TrainingConfig Map(SleapNnConfig config)
    {
        var fields = new YamlFields(config.SourcePath);
        string typePath = "model_config.head_configs." + config.ModelTypeName;

        Skeleton skeleton = config.Skeleton ?? throw fields.Invalid(
            "data_config.skeletons is missing or empty, so the model's nodes are unknown; sleap-nn writes the skeleton into training_config.yaml " +
            "when it trains, so this config was never trained: give the training_config.yaml from the trained model's folder");
        IReadOnlyList<string> configuredParts = config.PartNames!;
        if (configuredParts.Count != skeleton.Nodes.Count)
            throw fields.Unsupported($"{typePath}.confmaps.part_names lists {configuredParts.Count} parts ({string.Join(", ", configuredParts)}), but the skeleton has " +
                $"{skeleton.Nodes.Count} nodes ({string.Join(", ", skeleton.NodeNames)}); sleap-nn writes channel i onto node i, so they must be as many");
        IReadOnlyList<string> parts = skeleton.NodeNames;

        IReadOnlyList<string> classes = [];
        if (config.ModelType is ModelType.MultiClassBottomUp or ModelType.MultiClassTopDown)
            classes = config.ClassNames ?? throw fields.Invalid(
                $"{typePath}.{(config.ModelType == ModelType.MultiClassBottomUp ? "class_maps" : "class_vectors")}.classes is null, so the identity classes are unknown; " +
                "sleap-nn fills them in from the tracks when it trains, so this config was never trained: give the training_config.yaml from the trained model's folder");

        int? cropSize = config.Preprocessing.CropSize;
        if ((config.ModelType is ModelType.CenteredInstance or ModelType.MultiClassTopDown) && cropSize is null)
            throw fields.Invalid($"data_config.preprocessing.crop_size is null, but a {config.ModelTypeName} model needs its crop size " +
                "(sleap-nn sets it in training_config.yaml at training)");

        var edges = (config.PafEdges ?? [])
            .Select(e => (parts[IndexOf(configuredParts, e.Source)], parts[IndexOf(configuredParts, e.Destination)]))
            .ToArray();

        var heads = new List<HeadConfig>(config.Heads.Count);
        for (int i = 0; i < config.Heads.Count; i++)
        {
            SleapNnHead head = config.Heads[i];
            IReadOnlyList<string> channels = head.Kind switch
            {
                HeadKind.CentroidConfmaps => [HeadsParser.CentroidChannel],
                HeadKind.PartAffinityFields => edges.SelectMany(e => new[] { $"{e.Item1}->{e.Item2}.x", $"{e.Item1}->{e.Item2}.y" }).ToArray(),
                HeadKind.ClassMaps or HeadKind.ClassVectors => classes,
                _ => parts,
            };
            heads.Add(new HeadConfig(head.Kind, head.ClassName, head.OutputStride, config.HeadSigmas[i], channels));
        }

        SleapNnPreprocessing pre = config.Preprocessing;
        return new TrainingConfig
        {
            SourcePath = config.SourcePath,
            Family = ModelFamily.SleapNn,
            ModelType = config.ModelType,
            Skeleton = skeleton,
            Preprocessing = new PreprocessingConfig
            {
                InputScaling = pre.Scale,
                // sleap-nn pads to the backbone's max stride; a null max size means the frame's own size on that axis.
                PadToStride = null,
                ResizeAndPadToTarget = pre.MaxHeight is not null || pre.MaxWidth is not null,
                TargetHeight = pre.MaxHeight,
                TargetWidth = pre.MaxWidth,
                EnsureRgb = pre.EnsureRgb,
                EnsureGrayscale = pre.EnsureGrayscale,
            },
            InstanceCropping = new InstanceCroppingConfig { CenterOnPart = config.AnchorPart, CropSize = cropSize },
            Backbone = new BackboneConfig { Kind = config.Backbone.Name, MaxStride = config.Backbone.MaxStride, OutputStride = config.Backbone.OutputStride },
            Heads = heads,
            AnchorPart = config.AnchorPart,
            PartNames = parts,
            PafEdges = edges,
            ClassNames = classes,
        };
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == name)
                return i;
        throw new InvalidOperationException($"PAF edge end '{name}' is not a part name; the heads reader checks this.");
    }
}
