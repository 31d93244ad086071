namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>Reads <c>data_config.preprocessing</c> (docs/design/sleap-nn-config.md §5); missing keys take sleap-nn's defaults.</summary>
internal static class SleapNnPreprocessingReader
{
    private const string Path = "data_config.preprocessing";

    public static SleapNnPreprocessing Read(YamlFields fields, YamlMapping? dataConfig)
    {
        YamlMapping? pre = dataConfig is null ? null : fields.OptionalMapping(dataConfig, "data_config", "preprocessing");
        if (pre is null) return new SleapNnPreprocessing();

        // sleap-nn accepts a list of scales in its config class, one per video; inference resizes by a single factor.
        if (pre["scale"] is YamlSequence list)
            throw fields.Unsupported($"{YamlFields.At(Path + ".scale", list)} is a list of scales; SleapPS runs models with one input scale");
        // Tiled inference stitches predictions from overlapping tiles, which SleapPS does not do.
        if (fields.OptionalMapping(pre, Path, "tiling") is { } tiling && fields.Bool(tiling, Path + ".tiling", "enabled", false))
            throw fields.Unsupported($"{YamlFields.At(Path + ".tiling.enabled", tiling["enabled"]!)} is true: the model predicts on tiles, which SleapPS does not do");

        return new SleapNnPreprocessing
        {
            EnsureRgb = fields.Bool(pre, Path, "ensure_rgb", false),
            EnsureGrayscale = fields.Bool(pre, Path, "ensure_grayscale", false),
            MaxHeight = fields.OptionalPositiveInt(pre, Path, "max_height"),
            MaxWidth = fields.OptionalPositiveInt(pre, Path, "max_width"),
            Scale = fields.PositiveNumber(pre, Path, "scale", 1.0),
            CropSize = fields.OptionalPositiveInt(pre, Path, "crop_size"),
        };
    }
}
