using System.Globalization;
using System.Text.RegularExpressions;

namespace SleapPS.Engine.Models.SleapNn.Config;

/// <summary>
/// Typed reads of training_config.yaml fields that fail with a <see cref="SleapException"/> naming the file, the
/// field's dotted path (<c>model_config.backbone_config.unet.filters</c>) and its line (docs/design/sleap-nn-config.md §2).
/// A missing key or a YAML null takes the default sleap-nn's config classes give it; values are typed as YAML's core
/// schema types plain scalars (quoted text is always text).
/// </summary>
internal sealed partial class YamlFields(string sourcePath)
{
    public string SourcePath { get; } = sourcePath;

    public SleapException Invalid(string problem) => new(SleapErrorKind.InvalidData,
        $"The training config '{SourcePath}' is not usable: {problem}. Correct that field, or use the training_config.yaml that sleap-nn wrote when it trained the model.",
        SourcePath);

    public SleapException Unsupported(string problem) => new(SleapErrorKind.NotSupported,
        $"The training config '{SourcePath}' describes a model SleapPS cannot run: {problem}.", SourcePath);

    public static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    /// <summary>A field's path and line for messages: <c>data_config.preprocessing.scale (line 17)</c>.</summary>
    public static string At(string path, YamlValue value) => $"{path} (line {value.Line})";

    public static bool IsNull(YamlValue? value) => value is null or YamlScalar { IsNull: true };

    public YamlMapping RequiredMapping(YamlMapping parent, string parentPath, string key)
    {
        string path = Join(parentPath, key);
        YamlValue? value = parent[key];
        return value switch
        {
            null => throw Invalid($"{path} is missing"),
            YamlMapping m => m,
            YamlScalar { IsNull: true } => throw Invalid($"{At(path, value)} is null, but it must hold its settings"),
            _ => throw Invalid($"{At(path, value)} must be a mapping of settings, not {Describe(value)}"),
        };
    }

    public YamlMapping? OptionalMapping(YamlMapping parent, string parentPath, string key)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return null;
        return value as YamlMapping ?? throw Invalid($"{At(Join(parentPath, key), value!)} must be a mapping of settings or null, not {Describe(value)}");
    }

    public YamlSequence? OptionalSequence(YamlMapping parent, string parentPath, string key)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return null;
        return value as YamlSequence ?? throw Invalid($"{At(Join(parentPath, key), value!)} must be a list or null, not {Describe(value)}");
    }

    public int PositiveInt(YamlMapping parent, string parentPath, string key, int defaultValue) =>
        OptionalPositiveInt(parent, parentPath, key) ?? defaultValue;

    public int? OptionalPositiveInt(YamlMapping parent, string parentPath, string key)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return null;
        return PositiveInt(value!, Join(parentPath, key));
    }

    public int PositiveInt(YamlValue value, string path) =>
        TryInt(value, out long number) && number is > 0 and <= int.MaxValue ? (int)number
            : throw Invalid($"{At(path, value)} must be a positive whole number, not {Describe(value)}");

    public double PositiveNumber(YamlMapping parent, string parentPath, string key, double defaultValue)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return defaultValue;
        if (TryNumber(value!, out double number) && double.IsFinite(number) && number > 0) return number;
        throw Invalid($"{At(Join(parentPath, key), value!)} must be a positive number, not {Describe(value)}");
    }

    public bool Bool(YamlMapping parent, string parentPath, string key, bool defaultValue)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return defaultValue;
        if (value is YamlScalar { Plain: true } s)
        {
            if (s.Text is "true" or "True" or "TRUE") return true;
            if (s.Text is "false" or "False" or "FALSE") return false;
        }
        throw Invalid($"{At(Join(parentPath, key), value!)} must be true or false, not {Describe(value)}");
    }

    public string? OptionalString(YamlMapping parent, string parentPath, string key)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return null;
        return value is YamlScalar s ? s.Text : throw Invalid($"{At(Join(parentPath, key), value!)} must be text or null, not {Describe(value)}");
    }

    /// <summary>A non-empty list of distinct, non-empty names (part names, classes); null when the field is null or missing.</summary>
    public IReadOnlyList<string>? OptionalNameList(YamlMapping parent, string parentPath, string key)
    {
        YamlValue? value = parent[key];
        if (IsNull(value)) return null;
        string path = Join(parentPath, key);
        if (value is not YamlSequence { Items.Count: > 0 } list)
            throw Invalid($"{At(path, value!)} must be a non-empty list of names, not {Describe(value)}");
        var names = new List<string>(list.Items.Count);
        foreach (YamlValue item in list.Items)
        {
            string name = item is YamlScalar { IsNull: false, Text.Length: > 0 } s ? s.Text
                : throw Invalid($"{At(path, item)} must hold only non-empty names, but holds {Describe(item)}");
            if (names.Contains(name))
                throw Invalid($"{At(path, item)} names '{name}' twice");
            names.Add(name);
        }
        return names;
    }

    /// <summary>A non-empty list of positive whole numbers (ConvNeXt/SwinT depths, channels, heads).</summary>
    public IReadOnlyList<int> PositiveIntList(YamlMapping parent, string parentPath, string key)
    {
        string path = Join(parentPath, key);
        YamlValue? value = parent[key];
        if (value is null)
            throw Invalid($"{path} is missing");
        if (value is not YamlSequence { Items.Count: > 0 } list)
            throw Invalid($"{At(path, value)} must be a non-empty list of positive whole numbers, not {Describe(value)}");
        return list.Items.Select((item, i) => PositiveInt(item, $"{path}[{i}]")).ToArray();
    }

    /// <summary>How a value reads in a message: a scalar as written (quoted if it was), else what kind of value it is.</summary>
    public static string Describe(YamlValue? value) => value switch
    {
        null => "nothing",
        YamlScalar { IsNull: true } => "null",
        YamlScalar { Plain: true } s => s.Text,
        YamlScalar s => $"'{s.Text}'",
        YamlSequence q => q.Items.Count == 0 ? "an empty list" : "a list",
        YamlMapping => "a mapping",
        _ => value.GetType().Name,
    };

    private static bool TryInt(YamlValue value, out long number)
    {
        number = 0;
        return value is YamlScalar { Plain: true } s && IntPattern().IsMatch(s.Text)
            && long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
    }

    private static bool TryNumber(YamlValue value, out double number)
    {
        number = 0;
        if (value is not YamlScalar { Plain: true } s) return false;
        switch (s.Text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": number = double.PositiveInfinity; return true;
            case "-.inf" or "-.Inf" or "-.INF": number = double.NegativeInfinity; return true;
            case ".nan" or ".NaN" or ".NAN": number = double.NaN; return true;
        }
        return FloatPattern().IsMatch(s.Text)
            && double.TryParse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    // YAML 1.2 core floats, plus PyYAML's 1.0e-07 and the 1e-07 that OmegaConf also reads as a float.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
