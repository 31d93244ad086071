using System.Text.Json.Nodes;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Config;

/// <summary>A fixture model's training_config.json, edited and written to a temporary model folder.</summary>
internal static class EditedConfig
{
    /// <returns>The path of the edited training_config.json.</returns>
    public static string Write(TempDir dir, string model, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(FixtureModels.ConfigFile(model)))!.AsObject();
        edit(root);
        return WriteText(dir, root.ToJsonString());
    }

    public static string WriteText(TempDir dir, string text)
    {
        string path = dir.File("training_config.json");
        File.WriteAllText(path, text);
        return path;
    }

    public static JsonObject At(this JsonObject root, string dottedPath) =>
        dottedPath.Split('.').Aggregate(root, (node, key) => node[key]!.AsObject());
}
