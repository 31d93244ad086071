using System.Text.Json;
using System.Text.Json.Nodes;
using SleapPS.Engine.IO.Json;

namespace SleapPS.Engine.Models.Config;

/// <summary>
/// Typed reads of training-config fields that fail with a <see cref="SleapException"/> naming the file and the
/// field's dotted path (<c>data.preprocessing.input_scaling</c>). Missing keys and JSON nulls take SLEAP's defaults,
/// as cattrs does when it structures the config.
/// </summary>
internal sealed class ConfigFields(string sourcePath)
{
    public string SourcePath { get; } = sourcePath;

    public SleapException Invalid(string problem) => new(SleapErrorKind.InvalidData,
        $"The training config '{SourcePath}' is not usable: {problem}. Correct that field, or use the training_config.json that SLEAP wrote when it trained the model.",
        SourcePath);

    public SleapException Unsupported(string problem) => new(SleapErrorKind.NotSupported,
        $"The training config '{SourcePath}' describes a model SleapPS cannot run: {problem}.", SourcePath);

    public static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public JsonObject RequiredObject(JsonObject parent, string parentPath, string key)
    {
        JsonNode? value = parent[key];
        return value switch
        {
            JsonObject o => o,
            null => throw Invalid($"{Join(parentPath, key)} is missing"),
            _ => throw Invalid($"{Join(parentPath, key)} must be a JSON object, not {Describe(value)}"),
        };
    }

    public JsonObject? OptionalObject(JsonObject parent, string parentPath, string key)
    {
        JsonNode? value = parent[key];
        return value switch
        {
            null => null,
            JsonObject o => o,
            _ => throw Invalid($"{Join(parentPath, key)} must be a JSON object or null, not {Describe(value)}"),
        };
    }

    /// <summary>
    /// The one non-null entry of a "one-of" record (<c>model.heads</c>, <c>model.backbone</c>): SLEAP writes every
    /// key and sets exactly one.
    /// </summary>
    public (string Key, JsonObject Value) OneOf(JsonObject record, string path, string what)
    {
        var set = record.Where(p => p.Value is not null).ToList();
        if (set.Count == 0)
            throw Invalid($"{path}: no {what} is set (exactly one of its entries must be non-null)");
        if (set.Count > 1)
            throw Invalid($"{path}: more than one {what} is set ({string.Join(", ", set.Select(p => p.Key))}); exactly one of its entries must be non-null");
        var (key, value) = set[0];
        return value is JsonObject o ? (key, o) : throw Invalid($"{Join(path, key)} must be a JSON object, not {Describe(value)}");
    }

    public double PositiveNumber(JsonObject parent, string parentPath, string key, double defaultValue)
    {
        JsonNode? value = parent[key];
        if (value is null) return defaultValue;
        if (JsonRead.TryGetDouble(value, out double number) && double.IsFinite(number) && number > 0) return number;
        throw Invalid($"{Join(parentPath, key)} must be a positive number, not {Describe(value)}");
    }

    public int PositiveInt(JsonObject parent, string parentPath, string key, int defaultValue) =>
        OptionalPositiveInt(parent, parentPath, key) ?? defaultValue;

    public int? OptionalPositiveInt(JsonObject parent, string parentPath, string key)
    {
        JsonNode? value = parent[key];
        if (value is null) return null;
        if (JsonRead.GetInt(value) is int number && number > 0) return number;
        throw Invalid($"{Join(parentPath, key)} must be a positive whole number, not {Describe(value)}");
    }

    public bool Bool(JsonObject parent, string parentPath, string key, bool defaultValue)
    {
        JsonNode? value = parent[key];
        if (value is null) return defaultValue;
        return JsonRead.GetBool(value) ?? throw Invalid($"{Join(parentPath, key)} must be true or false, not {Describe(value)}");
    }

    public string? OptionalString(JsonObject parent, string parentPath, string key)
    {
        JsonNode? value = parent[key];
        if (value is null) return null;
        return JsonRead.GetString(value) ?? throw Invalid($"{Join(parentPath, key)} must be a string or null, not {Describe(value)}");
    }

    /// <summary>A list of distinct, non-empty names (part names, class names); null when the field is null or missing.</summary>
    public IReadOnlyList<string>? OptionalNameList(JsonObject parent, string parentPath, string key)
    {
        JsonNode? value = parent[key];
        if (value is null) return null;
        string field = Join(parentPath, key);
        if (value is not JsonArray array || array.Count == 0)
            throw Invalid($"{field} must be a non-empty list of names, not {Describe(value)}");
        var names = new List<string>(array.Count);
        foreach (JsonNode? item in array)
        {
            string name = JsonRead.GetString(item) is { Length: > 0 } s ? s
                : throw Invalid($"{field} must hold only non-empty names, but holds {Describe(item)}");
            if (names.Contains(name))
                throw Invalid($"{field} names '{name}' twice");
            names.Add(name);
        }
        return names;
    }

    public static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String && JsonRead.TryGetDouble(v, out _) => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
