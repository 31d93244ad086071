using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleapPS.Engine.Models.Runtime;

/// <summary>
/// What a sleap-nn export says about its model (export_metadata.json, or the same JSON embedded in the
/// ONNX file's metadata under <see cref="EmbeddedKey"/>; docs/design/sleap-nn-exports.md §2.3).
/// </summary>
public sealed record SleapNnMetadata
{
    public const string FileName = "export_metadata.json";
    public const string EmbeddedKey = "sleap_nn_metadata";

    /// <summary>The file the metadata was read from (export_metadata.json, or the .onnx when embedded).</summary>
    public required string SourcePath { get; init; }
    public required string ModelType { get; init; }
    public string ModelName { get; init; } = "";
    public string SleapNnVersion { get; init; } = "";
    public string Backbone { get; init; } = "";
    public required IReadOnlyList<string> NodeNames { get; init; }
    public IReadOnlyList<(int Source, int Destination)> Edges { get; init; } = [];
    public double InputScale { get; init; } = 1.0;
    public required int InputChannels { get; init; }
    public int OutputStride { get; init; } = 1;
    /// <summary>Top-down crop height and width; null for other models.</summary>
    public (int Height, int Width)? CropSize { get; init; }
    public int? MaxInstances { get; init; }
    public int? MaxPeaksPerNode { get; init; }
    /// <summary>The threshold baked into the exported graph's peak finding.</summary>
    public double? PeakThreshold { get; init; }
    public IReadOnlyList<string> ClassNames { get; init; } = [];
    public string? AnchorPart { get; init; }
    public string InputDtype { get; init; } = "uint8";

    public static SleapNnMetadata Parse(string json, string sourcePath)
    {
        JsonObject root;
        try
        {
            root = IO.Json.PythonJson.ParseChecked(json) as JsonObject
                ?? throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn export metadata in '{sourcePath}' is not a JSON object.", sourcePath);
        }
        catch (JsonException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn export metadata in '{sourcePath}' is not valid JSON: {ex.Message}", sourcePath, ex);
        }
        catch (InvalidDataException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"The sleap-nn export metadata in '{sourcePath}' is not valid: {ex.Message}", sourcePath, ex);
        }

        T Field<T>(string name, Func<JsonNode, T> read, bool required)
        {
            var node = root[name];
            if (node is null)
            {
                if (required)
                    throw new SleapException(SleapErrorKind.InvalidData,
                        $"The sleap-nn export metadata in '{sourcePath}' has no '{name}'. Export the model again with sleap-nn export.", sourcePath);
                return default!;
            }
            try
            {
                return read(node);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or NullReferenceException)
            {
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The sleap-nn export metadata in '{sourcePath}' has a malformed '{name}': {node.ToJsonString()}.", sourcePath, ex);
            }
        }

        static IReadOnlyList<string> Strings(JsonNode n) => n.AsArray().Select(s => s!.GetValue<string>()).ToArray();

        var nodeNames = Field("node_names", Strings, required: true);
        var edges = Field("edge_inds", n => n.AsArray().Select(e => (e![0]!.GetValue<int>(), e[1]!.GetValue<int>())).ToArray(), required: false) ?? [];
        foreach (var (s, d) in edges)
            if (s < 0 || d < 0 || s >= nodeNames.Count || d >= nodeNames.Count)
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"The sleap-nn export metadata in '{sourcePath}' has an edge [{s}, {d}] in 'edge_inds' outside its {nodeNames.Count} node_names.", sourcePath);

        return new SleapNnMetadata
        {
            SourcePath = sourcePath,
            ModelType = Field("model_type", n => n.GetValue<string>(), required: true),
            ModelName = Field("model_name", n => n.GetValue<string>(), required: false) ?? "",
            SleapNnVersion = Field("sleap_nn_version", n => n.GetValue<string>(), required: false) ?? "",
            Backbone = Field("backbone", n => n.GetValue<string>(), required: false) ?? "",
            NodeNames = nodeNames,
            Edges = edges,
            InputScale = Field<double?>("input_scale", n => n.GetValue<double>(), required: false) ?? 1.0,
            InputChannels = Field("input_channels", n => n.GetValue<int>(), required: true),
            OutputStride = Field<int?>("output_stride", n => n.GetValue<int>(), required: false) ?? 1,
            CropSize = Field<(int, int)?>("crop_size", n => (n[0]!.GetValue<int>(), n[1]!.GetValue<int>()), required: false),
            MaxInstances = Field<int?>("max_instances", n => n.GetValue<int>(), required: false),
            MaxPeaksPerNode = Field<int?>("max_peaks_per_node", n => n.GetValue<int>(), required: false),
            PeakThreshold = Field<double?>("peak_threshold", n => n.GetValue<double>(), required: false),
            ClassNames = Field("class_names", Strings, required: false) ?? [],
            AnchorPart = Field("anchor_part", n => n.GetValue<string>(), required: false),
            InputDtype = Field("input_dtype", n => n.GetValue<string>(), required: false) ?? "uint8",
        };
    }
}
