using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

/// <summary>
/// sleap-nn exports built here (no real sleap-nn export is among the fixtures): graphs with the input, outputs and
/// metadata sleap-nn's exporter writes (docs/design/models.md §6), computing simple stand-in values.
/// </summary>
public class SleapNnExportTests
{
    private const int MaxInstances = 3;

    private static JsonObject Metadata(string modelType = "centroid") => new()
    {
        ["sleap_nn_version"] = "0.1.0",
        ["export_format"] = "onnx",
        ["model_type"] = modelType,
        ["model_name"] = "centroid_model",
        ["backbone"] = "unet",
        ["n_nodes"] = 2,
        ["n_edges"] = 1,
        ["node_names"] = new JsonArray("head", "thorax"),
        ["edge_inds"] = new JsonArray(new JsonArray(0, 1)),
        ["input_scale"] = 0.5,
        ["input_channels"] = 1,
        ["output_stride"] = 2,
        ["crop_size"] = null,
        ["max_instances"] = MaxInstances,
        ["max_peaks_per_node"] = null,
        ["max_batch_size"] = 8,
        ["precision"] = "fp32",
        ["peak_threshold"] = 0.2,
        ["input_dtype"] = "uint8",
        ["normalization"] = "0_to_1",
        ["n_classes"] = null,
        ["class_names"] = null,
        ["anchor_part"] = "thorax",
        ["training_config_embedded"] = true,
        ["training_config_hash"] = "",
    };

    private const string TrainingConfigYaml = """
        data_config:
          provider: LabelsReader
          preprocessing:
            scale: 0.5
        model_config:
          init_weights: default
          backbone_config:
            unet:
              in_channels: 1
              kernel_size: 3
              filters: 16
              max_stride: 16 # deepest level
            convnext: null
            swint: null
          head_configs:
            centroid:
              confmaps:
                anchor_part: thorax
                sigma: 2.5
                output_stride: 2
        """;

    /// <summary>
    /// A centroid export: image uint8 [batch, 1, height, width] -> centroid_vals = the image's max (as float) in all
    /// K slots, centroids = that value in x and y, instance_valid = value > 0.2.
    /// </summary>
    private static TinyOnnx CentroidGraph(string inputName = "image") => new TinyOnnx()
        .Input(inputName, TinyOnnx.UInt8, "batch", 1L, "height", "width")
        .Constant("axis1", [1], longs: [1])
        .Constant("axis2", [1], longs: [2])
        .Constant("slots", [1, MaxInstances], floats: Enumerable.Repeat(1f, MaxInstances).ToArray())
        .Constant("xy", [1, 1, 2], floats: [1f, 1f])
        .Constant("threshold", [1], floats: [0.2f])
        .Node("Cast", [inputName], ["pixels"], ("to", 1L))
        .Node("ReduceMax", ["pixels"], ["peak"], ("axes", new long[] { 1, 2, 3 }), ("keepdims", 0L))
        .Node("Unsqueeze", ["peak", "axis1"], ["peak_b1"])
        .Node("Mul", ["peak_b1", "slots"], ["centroid_vals"])
        .Node("Unsqueeze", ["centroid_vals", "axis2"], ["vals_bk1"])
        .Node("Mul", ["vals_bk1", "xy"], ["centroids"])
        .Node("Greater", ["centroid_vals", "threshold"], ["instance_valid"])
        .Output("centroids", TinyOnnx.Float, "batch", (long)MaxInstances, 2L)
        .Output("centroid_vals", TinyOnnx.Float, "batch", (long)MaxInstances)
        .Output("instance_valid", TinyOnnx.Bool, "batch", (long)MaxInstances);

    private static string WriteExport(TempDir dir, JsonObject metadata, bool metadataFile = true, bool configFile = true, bool embed = false)
    {
        var graph = CentroidGraph();
        if (embed)
            graph.Metadata("sleap_nn_metadata", metadata.ToJsonString()).Metadata("training_config", TrainingConfigYaml);
        string onnx = graph.Save(dir.File("model.onnx"));
        if (metadataFile) File.WriteAllText(dir.File("export_metadata.json"), metadata.ToJsonString());
        if (configFile) File.WriteAllText(dir.File("training_config.yaml"), TrainingConfigYaml);
        return onnx;
    }

    [Fact]
    public void A_centroid_export_loads_with_its_metadata_and_runs()
    {
        using var dir = new TempDir();
        string onnx = WriteExport(dir, Metadata());
        using var model = SleapModel.Load(dir.FullName, new ModelLoadOptions());

        Assert.Equal(ModelFormat.SleapNnOnnx, model.Format);
        Assert.Equal(ModelType.Centroid, model.Type);
        Assert.Equal(onnx, model.SourcePath);
        // A centroid export's instances are centroids: sleap-nn puts them on a one-node 'centroid' skeleton.
        Assert.Equal(["centroid"], model.Skeleton.NodeNames);
        Assert.Empty(model.Skeleton.EdgeIndices);
        Assert.Equal(["head", "thorax"], model.Config.PartNames);
        Assert.Equal(PredictorKind.TopDown, model.Config.StandaloneKind);
        // No max_height/max_width in the config: sleap-nn's exporter traced at 512x512.
        Assert.Equal("512x512x1 @ max stride 16", model.InputShape.ToString());
        Assert.Equal(0.5, model.Config.Preprocessing.InputScaling);
        Assert.Equal("thorax", model.Config.AnchorPart);
        Assert.Equal(2, model.Config.Heads.Single().OutputStride);
        Assert.Equal(dir.File("export_metadata.json"), model.Config.SourcePath);
        var meta = model.SleapNn!;
        Assert.Equal("centroid", meta.ModelType);
        Assert.Equal(MaxInstances, meta.MaxInstances);
        Assert.Equal(0.2, meta.PeakThreshold);
        Assert.Null(meta.CropSize);
        Assert.Empty(meta.ClassNames);

        byte[] image = new byte[1 * 1 * 8 * 8];
        image[10] = 200;
        using var input = OrtValue.CreateTensorValueFromMemory(image, [1, 1, 8, 8]);
        using var outputs = model.Session.Run(input);
        Assert.Equal(["centroids", "centroid_vals", "instance_valid"], model.Session.OutputNames);
        Assert.Equal([200f, 200f, 200f], outputs[1].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal([true, true, true], outputs[2].GetTensorDataAsSpan<bool>().ToArray());
    }

    [Fact]
    public void Embedded_metadata_and_config_are_enough_and_the_onnx_path_works()
    {
        using var dir = new TempDir();
        var metadata = Metadata("centered_instance");
        metadata["crop_size"] = new JsonArray(96, 96);
        metadata["class_names"] = new JsonArray("female", "male");
        string onnx = new TinyOnnx().Input("image", TinyOnnx.UInt8, "batch", 1L, "height", "width")
            .Node("Cast", ["image"], ["peaks"], ("to", 1L)).Node("Cast", ["image"], ["peak_vals"], ("to", 1L))
            .Output("peaks", TinyOnnx.Float, "batch", 1L, "height", "width").Output("peak_vals", TinyOnnx.Float, "batch", 1L, "height", "width")
            .Metadata("sleap_nn_metadata", metadata.ToJsonString()).Metadata("training_config", TrainingConfigYaml)
            .Save(dir.File("model.onnx"));

        using var model = SleapModel.Load(onnx, new ModelLoadOptions());
        Assert.Equal(ModelType.CenteredInstance, model.Type);
        Assert.Equal(onnx, model.Config.SourcePath);
        Assert.Equal((96, 96), model.SleapNn!.CropSize);
        Assert.Equal(96, model.Config.InstanceCropping.CropSize);
        Assert.Equal(["female", "male"], model.Config.ClassNames);
        Assert.Equal(16, model.Config.MaxStride);
    }

    [Fact]
    public void A_json_training_config_gives_the_max_stride()
    {
        using var dir = new TempDir();
        WriteExport(dir, Metadata(), configFile: false);
        File.WriteAllText(dir.File("training_config.json"),
            """
            {"model_config": {"backbone_config": {"unet": {"in_channels": 1, "kernel_size": 3, "filters": 16, "max_stride": 32}, "convnext": null, "swint": null},
                              "head_configs": {"centroid": {"confmaps": {"anchor_part": "thorax", "sigma": 2.5, "output_stride": 2}}}}}
            """);
        using var model = SleapModel.Load(dir.File("export_metadata.json"), new ModelLoadOptions());
        Assert.Equal(32, model.Config.MaxStride);
    }

    [Fact]
    public void Without_a_training_config_the_max_stride_is_unknown_and_that_is_invalid_data()
    {
        using var dir = new TempDir();
        string onnx = WriteExport(dir, Metadata(), configFile: false);
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(dir.FullName, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The sleap-nn export '{onnx}' has no training config (training_config.yaml beside it, training_config_centroid.yaml for a combined top-down export, or embedded), " +
                     "so its backbone's max stride and the frame size it was traced at are unknown. Copy the model's training_config.yaml from its training folder beside the export.", ex.Message);
    }

    [Fact]
    public void A_graph_that_does_not_match_its_model_type_is_invalid_data()
    {
        using var dir = new TempDir();
        string onnx = WriteExport(dir, Metadata("single_instance"));
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(dir.FullName, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(onnx, ex.Path);
        Assert.Equal($"'{onnx}' does not have the graph sleap-nn exports for a single_instance model: expected one input 'image' (uint8, [batch, 1, height, width]) and the outputs peaks, peak_vals; " +
                     "it has the inputs image UInt8 [batch, 1, height, width] and the outputs centroids, centroid_vals, instance_valid. Export the model again with sleap-nn export, keeping its export_metadata.json.",
            ex.Message);
    }

    [Fact]
    public void A_combined_top_down_export_whose_graph_lacks_its_outputs_is_invalid_data()
    {
        using var dir = new TempDir();
        string onnx = WriteExport(dir, Metadata("topdown"));
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(dir.FullName, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"'{onnx}' does not have the graph sleap-nn exports for a topdown model: expected one input 'image' (uint8, [batch, 1, height, width]) " +
                     "and the outputs centroids, centroid_vals, peaks, peak_vals, instance_valid; it has the inputs image UInt8 [batch, 1, height, width] " +
                     "and the outputs centroids, centroid_vals, instance_valid. Export the model again with sleap-nn export, keeping its export_metadata.json.", ex.Message);
    }

    [Fact]
    public void Metadata_missing_a_field_is_invalid_data_naming_it()
    {
        using var dir = new TempDir();
        var metadata = Metadata();
        metadata.Remove("node_names");
        WriteExport(dir, metadata);
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(dir.FullName, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The sleap-nn export metadata in '{dir.File("export_metadata.json")}' has no 'node_names'. Export the model again with sleap-nn export.", ex.Message);
    }

    [Fact]
    public void A_sleap_nn_export_runs_alone_and_is_refused_beside_another_model()
    {
        using var dir = new TempDir();
        WriteExport(dir, Metadata());
        string keras = ModelFolders.Path(ModelFolders.CenteredInstance);
        var ex = Assert.Throws<SleapException>(() => Predictor.Load([dir.FullName, keras],
            new ModelLoadOptions { CacheFolder = dir.File("cache") }, new InferenceSettings()));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"The model '{dir.FullName}' (centroid) is a whole TopDown predictor in one graph (a sleap-nn export), which runs alone; " +
                     $"it was given with '{keras}' (centered_instance). Give the export on its own.", ex.Message);
    }
}
