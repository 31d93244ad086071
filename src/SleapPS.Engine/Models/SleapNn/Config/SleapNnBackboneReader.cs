namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// Reads <c>model_config.backbone_config</c> into a <see cref="SleapNnBackbone"/> (docs/design/sleap-nn-config.md §4):
/// the one non-null backbone, its missing keys taking the defaults of sleap-nn's config classes, ConvNeXt and SwinT
/// with their preset architecture resolved. Refuses the UNets sleap-nn itself cannot build.
/// </summary>
internal static class SleapNnBackboneReader
{
    private const string Path = "model_config.backbone_config";

    /// <summary>The backbones SleapPS builds, as sleap-nn names them under backbone_config.</summary>
    public static readonly IReadOnlyList<string> Known = ["unet", "convnext", "swint"];

    // sleap-nn's preset architectures (its ConvNextWrapper and SwinTWrapper): a model_type naming one wins over arch.
    private static readonly Dictionary<string, (int[] Depths, int[] Channels)> ConvNextPresets = new()
    {
        ["tiny"] = ([3, 3, 9, 3], [96, 192, 384, 768]),
        ["small"] = ([3, 3, 27, 3], [96, 192, 384, 768]),
        ["base"] = ([3, 3, 27, 3], [128, 256, 512, 1024]),
        ["large"] = ([3, 3, 27, 3], [192, 384, 768, 1536]),
    };

    private static readonly Dictionary<string, (int Embed, int[] Depths, int[] NumHeads)> SwinTPresets = new()
    {
        ["tiny"] = (96, [2, 2, 6, 2], [3, 6, 12, 24]),
        ["small"] = (96, [2, 2, 18, 2], [3, 6, 12, 24]),
        ["base"] = (128, [2, 2, 18, 2], [4, 8, 16, 32]),
    };

    public static SleapNnBackbone Read(YamlFields fields, YamlMapping modelConfig)
    {
        YamlMapping record = fields.RequiredMapping(modelConfig, "model_config", "backbone_config");
        var set = record.Entries.Where(e => !YamlFields.IsNull(e.Value)).ToList();
        if (set.Count == 0)
            throw fields.Invalid($"{YamlFields.At(Path, record)}: no backbone is set (exactly one of {string.Join(", ", Known)} must be non-null)");
        foreach (var (key, value) in set)
        {
            if (key == "pretrained")
                throw fields.Unsupported($"{YamlFields.At(Path + ".pretrained", value)} is a HuggingFace pretrained backbone, which SleapPS does not build (it builds {string.Join(", ", Known)})");
            if (!Known.Contains(key))
                throw fields.Unsupported($"{YamlFields.At(Path + "." + key, value)} names the backbone '{key}', which SleapPS does not know (it builds {string.Join(", ", Known)})");
        }
        if (set.Count > 1)
            throw fields.Invalid($"{YamlFields.At(Path, record)}: more than one backbone is set ({string.Join(", ", set.Select(e => e.Key))}); exactly one must be non-null");

        var (name, _) = set[0];
        YamlMapping backbone = fields.RequiredMapping(record, Path, name);
        string path = Path + "." + name;
        return name switch
        {
            "unet" => UNet(fields, backbone, path),
            "convnext" => ConvNext(fields, backbone, path),
            _ => SwinT(fields, backbone, path),
        };
    }

    private static UNetBackbone UNet(YamlFields fields, YamlMapping unet, string path)
    {
        // Defaults: sleap-nn's UNetConfig.
        int maxStride = PowerOfTwo(fields, unet, path, "max_stride", 16);
        int outputStride = PowerOfTwo(fields, unet, path, "output_stride", 1);
        if (outputStride > maxStride)
            throw fields.Invalid($"{YamlFields.At(path + ".output_stride", unet["output_stride"]!)} is {outputStride}, larger than max_stride {maxStride}");
        int? stemStride = unet["stem_stride"] is { } s && !YamlFields.IsNull(s) ? PowerOfTwo(fields, unet, path, "stem_stride", 1) : null;
        if (stemStride >= maxStride)
            throw fields.Invalid($"{YamlFields.At(path + ".stem_stride", unet["stem_stride"]!)} is {stemStride}, but it must be smaller than max_stride {maxStride}");

        double filtersRate = fields.PositiveNumber(unet, path, "filters_rate", 1.5);
        bool middleBlock = fields.Bool(unet, path, "middle_block", true);
        int stacks = fields.PositiveInt(unet, path, "stacks", 1);

        // docs/design/sleap-nn-config.md §6: sleap-nn's UNet fails to build or run these, so no checkpoint of them exists.
        if (stacks != 1)
            throw fields.Unsupported($"{YamlFields.At(path + ".stacks", unet["stacks"]!)} is {stacks}, but sleap-nn's UNet runs only one stack " +
                "(with more, its forward pass feeds one stack's output dictionary into the next and fails), so no such trained model exists");
        if (!middleBlock && filtersRate != 1.0)
            throw fields.Unsupported($"{YamlFields.At(path + ".middle_block", unet["middle_block"]!)} is false with filters_rate {Format(filtersRate)}, " +
                "which sleap-nn's UNet cannot build (its decoder then expects more channels than the encoder gives; middle_block false works only with filters_rate 1), so no such trained model exists");

        return new UNetBackbone
        {
            InChannels = InChannels(fields, unet, path),
            KernelSize = fields.PositiveInt(unet, path, "kernel_size", 3),
            Filters = fields.PositiveInt(unet, path, "filters", 32),
            FiltersRate = filtersRate,
            ConfiguredMaxStride = maxStride,
            StemStride = stemStride,
            MiddleBlock = middleBlock,
            UpInterpolate = fields.Bool(unet, path, "up_interpolate", true),
            Stacks = stacks,
            ConvsPerBlock = fields.PositiveInt(unet, path, "convs_per_block", 2),
            OutputStride = outputStride,
        };
    }

    private static ConvNextBackbone ConvNext(YamlFields fields, YamlMapping convnext, string path)
    {
        RefuseBlockContraction(fields, convnext, path);
        string? preset = ModelType(fields, convnext, path);
        int[] depths, channels;
        if (preset is not null && ConvNextPresets.TryGetValue(preset, out var arch))
            (depths, channels) = arch;
        else if (fields.OptionalMapping(convnext, path, "arch") is { } custom)
        {
            depths = [.. fields.PositiveIntList(custom, path + ".arch", "depths")];
            channels = [.. fields.PositiveIntList(custom, path + ".arch", "channels")];
            FourStages(fields, custom, path + ".arch", "depths", depths.Length);
            FourStages(fields, custom, path + ".arch", "channels", channels.Length);
        }
        else
            (depths, channels) = ConvNextPresets["tiny"];

        int stemStride = PowerOfTwo(fields, convnext, path, "stem_patch_stride", 2);
        var backbone = new ConvNextBackbone
        {
            Depths = depths,
            Channels = channels,
            StemPatchKernel = fields.PositiveInt(convnext, path, "stem_patch_kernel", 4),
            StemPatchStride = stemStride,
            InChannels = InChannels(fields, convnext, path),
            KernelSize = fields.PositiveInt(convnext, path, "kernel_size", 3),
            FiltersRate = fields.PositiveNumber(convnext, path, "filters_rate", 2.0),
            ConvsPerBlock = fields.PositiveInt(convnext, path, "convs_per_block", 2),
            UpInterpolate = fields.Bool(convnext, path, "up_interpolate", true),
            OutputStride = PowerOfTwo(fields, convnext, path, "output_stride", 1),
        };
        CheckFixedMaxStride(fields, convnext, path, backbone);
        return backbone;
    }

    private static SwinTBackbone SwinT(YamlFields fields, YamlMapping swint, string path)
    {
        RefuseBlockContraction(fields, swint, path);
        string? preset = ModelType(fields, swint, path);
        int embed;
        int[] depths, heads;
        if (preset is not null && SwinTPresets.TryGetValue(preset, out var arch))
            (embed, depths, heads) = arch;
        else if (fields.OptionalMapping(swint, path, "arch") is { } custom)
        {
            string archPath = path + ".arch";
            embed = custom["embed"] is { } e ? fields.PositiveInt(e, archPath + ".embed") : throw fields.Invalid($"{archPath}.embed is missing");
            depths = [.. fields.PositiveIntList(custom, archPath, "depths")];
            heads = [.. fields.PositiveIntList(custom, archPath, "num_heads")];
            FourStages(fields, custom, archPath, "depths", depths.Length);
            FourStages(fields, custom, archPath, "num_heads", heads.Length);
        }
        else
            (embed, depths, heads) = SwinTPresets["tiny"];

        var backbone = new SwinTBackbone
        {
            EmbedDim = embed,
            Depths = depths,
            NumHeads = heads,
            PatchSize = fields.PositiveInt(swint, path, "patch_size", 4),
            StemPatchStride = PowerOfTwo(fields, swint, path, "stem_patch_stride", 2),
            WindowSize = fields.PositiveInt(swint, path, "window_size", 7),
            InChannels = InChannels(fields, swint, path),
            KernelSize = fields.PositiveInt(swint, path, "kernel_size", 3),
            FiltersRate = fields.PositiveNumber(swint, path, "filters_rate", 2.0),
            ConvsPerBlock = fields.PositiveInt(swint, path, "convs_per_block", 2),
            UpInterpolate = fields.Bool(swint, path, "up_interpolate", true),
            OutputStride = PowerOfTwo(fields, swint, path, "output_stride", 1),
        };
        CheckFixedMaxStride(fields, swint, path, backbone);
        return backbone;
    }

    /// <summary>
    /// sleap-nn's config classes default model_type to "tiny"; an explicit null (or a name that is no preset) leaves the
    /// choice to arch, and no arch means tiny again.
    /// </summary>
    private static string? ModelType(YamlFields fields, YamlMapping backbone, string path) =>
        backbone["model_type"] is null ? "tiny" : fields.OptionalString(backbone, path, "model_type");

    private static void FourStages(YamlFields fields, YamlMapping arch, string archPath, string key, int count)
    {
        // sleap-nn's ConvNeXt and SwinT wrappers fix the stride at stem x 2^3 x 2: four stages, whatever arch lists.
        if (count != 4)
            throw fields.Unsupported($"{YamlFields.At(archPath + "." + key, arch[key]!)} lists {count} stages, but sleap-nn's ConvNeXt and SwinT backbones have 4");
    }

    private static void CheckFixedMaxStride(YamlFields fields, YamlMapping backbone, string path, SleapNnBackbone built)
    {
        // sleap-nn pads inputs to the configured max_stride, while the network's real stride is fixed by its stem;
        // a config where they differ was never trained by sleap-nn (its config classes write the fixed value).
        int configured = PowerOfTwo(fields, backbone, path, "max_stride", built.MaxStride);
        if (configured != built.MaxStride)
            throw fields.Unsupported($"{YamlFields.At(path + ".max_stride", backbone["max_stride"]!)} is {configured}, but a {built.Name} backbone with stem_patch_stride " +
                $"{built.MaxStride / 16} has stride {built.MaxStride}; SleapPS runs only configs where they agree");
        if (built.OutputStride > built.MaxStride)
            throw fields.Invalid($"{YamlFields.At(path + ".output_stride", backbone["output_stride"]!)} is {built.OutputStride}, larger than the backbone's stride {built.MaxStride}");
    }

    private static void RefuseBlockContraction(YamlFields fields, YamlMapping backbone, string path)
    {
        // sleap-nn's ConvNeXt and SwinT wrappers read block_contraction when a config has it; none of its config classes
        // writes it, and SleapPS builds the default (false) only.
        if (fields.Bool(backbone, path, "block_contraction", false))
            throw fields.Unsupported($"{YamlFields.At(path + ".block_contraction", backbone["block_contraction"]!)} is true, which SleapPS does not build");
    }

    private static int InChannels(YamlFields fields, YamlMapping backbone, string path)
    {
        int channels = fields.PositiveInt(backbone, path, "in_channels", 1);
        // sleap-nn's model converts inputs between 1 and 3 channels only.
        return channels is 1 or 3 ? channels
            : throw fields.Invalid($"{YamlFields.At(path + ".in_channels", backbone["in_channels"]!)} is {channels}, but it must be 1 (grayscale) or 3 (RGB)");
    }

    private static int PowerOfTwo(YamlFields fields, YamlMapping backbone, string path, string key, int defaultValue)
    {
        int value = fields.PositiveInt(backbone, path, key, defaultValue);
        return int.IsPow2(value) ? value
            : throw fields.Invalid($"{YamlFields.At(path + "." + key, backbone[key]!)} must be a power of two, not {value}");
    }

    private static string Format(double value) => value.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture);
}
