using System.Text.Json.Nodes;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.Exports;

/// <summary>
/// Exports made here with sleap-nn's input, outputs and metadata but chosen output values, for what the fixture exports
/// cannot show: the fixture's multi-class top-down export finds no instance, so its class assignment is tested here.
/// </summary>
public class HandMadeExportTests
{
    /// <summary>The fixture export's centroid config, traced at 64x64 instead of 384x384.</summary>
    private static string Config(string file = "training_config_centroid.yaml", string export = ExportFixtures.TopDownMultiClass) =>
        File.ReadAllText(Path.Combine(ExportFixtures.Folder(export), file))
            .Replace("max_height: 384", "max_height: 64").Replace("max_width: 384", "max_width: 64");

    private static JsonObject Metadata(string modelType) => new()
    {
        ["sleap_nn_version"] = "0.3.3",
        ["model_type"] = modelType,
        ["model_name"] = "hand_made",
        ["node_names"] = new JsonArray("head", "thorax"),
        ["edge_inds"] = new JsonArray(new JsonArray(0, 1)),
        ["input_scale"] = 1.0,
        ["input_channels"] = 1,
        ["output_stride"] = 2,
        ["crop_size"] = new JsonArray(32, 32),
        ["max_instances"] = 3,
        ["peak_threshold"] = 0.2,
        ["n_classes"] = 2,
        ["class_names"] = new JsonArray("female", "male"),
    };

    /// <summary>
    /// Three centroid slots (values 0.9, 0.8, 0.1: two valid). Slot 0's logits (0.2, 2.0) and slot 1's (1.0, 3.0) both
    /// favour 'male', slot 1 more strongly, so the best assignment gives slot 0 'female' (p = 0.142) and slot 1 'male' (0.881).
    /// </summary>
    private static string WriteMultiClassExport(TempDir dir)
    {
        new TinyOnnx()
            .Input("image", TinyOnnx.UInt8, "batch", 1L, "height", "width")
            .Constant("values", [1, 3], floats: [0.9f, 0.8f, 0.1f])
            .Constant("threshold", [1], floats: [0.2f])
            .Constant("centroids_c", [1, 3, 2], floats: [100, 100, 200, 200, 0, 0])
            .Constant("peaks_c", [1, 3, 2, 2], floats: [90, 95, 110, 105, 190, 195, 210, 205, 0, 0, 0, 0])
            .Constant("peak_vals_c", [1, 3, 2], floats: [0.95f, 0.5f, 0.7f, 0.3f, 0, 0])
            .Constant("logits_c", [1, 3, 2], floats: [0.2f, 2.0f, 1.0f, 3.0f, 0, 0])
            .Node("Identity", ["values"], ["centroid_vals"])
            .Node("Greater", ["values", "threshold"], ["instance_valid"])
            .Node("Identity", ["centroids_c"], ["centroids"])
            .Node("Identity", ["peaks_c"], ["peaks"])
            .Node("Identity", ["peak_vals_c"], ["peak_vals"])
            .Node("Identity", ["logits_c"], ["class_logits"])
            .Output("centroids", TinyOnnx.Float, 1L, 3L, 2L)
            .Output("centroid_vals", TinyOnnx.Float, 1L, 3L)
            .Output("peaks", TinyOnnx.Float, 1L, 3L, 2L, 2L)
            .Output("peak_vals", TinyOnnx.Float, 1L, 3L, 2L)
            .Output("class_logits", TinyOnnx.Float, 1L, 3L, 2L)
            .Output("instance_valid", TinyOnnx.Bool, 1L, 3L)
            .Save(dir.File("model.onnx"));
        File.WriteAllText(dir.File("export_metadata.json"), Metadata("multi_class_topdown_combined").ToJsonString());
        File.WriteAllText(dir.File("training_config_centroid.yaml"), Config());
        File.WriteAllText(dir.File("training_config_multi_class_topdown.yaml"), Config("training_config_multi_class_topdown.yaml"));
        return dir.FullName;
    }

    private static FrameInput Frame() => new(new Video("frames.mp4", VideoBackend.Media), 7, new byte[64 * 64], 64, 64, 1);

    private static List<PredictedInstance> Predict(string folder, InferenceSettings settings)
    {
        using var predictor = Predictor.Load([folder], new ModelLoadOptions(), settings);
        Assert.Equal(PredictorKind.TopDownMultiClass, predictor.Kind);
        using var pose = PosePredictors.Create(predictor, settings);
        return pose.PredictBatch([Frame()], PredictionOptions.Default, CancellationToken.None).Single().Instances.Cast<PredictedInstance>().ToList();
    }

    [Fact]
    public void Multi_class_top_down_assigns_classes_by_the_best_total_probability_and_lists_them_in_class_order()
    {
        using var dir = new TempDir();
        var instances = Predict(WriteMultiClassExport(dir), new InferenceSettings());

        Assert.Equal(["female", "male"], instances.Select(i => i.Track!.Name));
        Assert.Equal([(90.0, 95.0, 110.0, 105.0), (190.0, 195.0, 210.0, 205.0)],
            instances.Select(i => (i.Points[0].X, i.Points[0].Y, i.Points[1].X, i.Points[1].Y)));
        Assert.Equal([0.9, 0.8], instances.Select(i => Math.Round(i.Score, 6)));   // the centroid values
        Assert.Equal(1 / (1 + Math.Exp(1.8)), instances[0].TrackingScore, 6);       // softmax(0.2, 2.0)[female]
        Assert.Equal(1 / (1 + Math.Exp(-2.0)), instances[1].TrackingScore, 6);      // softmax(1.0, 3.0)[male]
    }

    [Fact]
    public void With_one_instance_kept_it_gets_its_most_probable_class()
    {
        using var dir = new TempDir();
        var only = Assert.Single(Predict(WriteMultiClassExport(dir), new InferenceSettings { MaxInstances = 1 }));
        Assert.Equal("male", only.Track!.Name);
        Assert.Equal(1 / (1 + Math.Exp(-1.8)), only.TrackingScore, 6);
    }

    [Fact]
    public void The_centroid_stage_config_gives_the_traced_size_and_max_stride()
    {
        using var dir = new TempDir();
        using var model = SleapModel.Load(WriteMultiClassExport(dir), new ModelLoadOptions());
        // The centroid stage's (max stride 8), not the instance stage's (16).
        Assert.Equal("64x64x1 @ max stride 8", model.InputShape.ToString());
        Assert.Equal(ModelType.MultiClassTopDown, model.Type);
        Assert.Equal(PredictorKind.TopDownMultiClass, model.Config.StandaloneKind);
    }

    [Fact]
    public void An_export_of_one_top_down_stage_loads_but_does_not_predict()
    {
        using var dir = new TempDir();
        var metadata = Metadata("centered_instance");
        new TinyOnnx().Input("image", TinyOnnx.UInt8, "batch", 1L, "height", "width")
            .Node("Cast", ["image"], ["peaks"], ("to", 1L)).Node("Cast", ["image"], ["peak_vals"], ("to", 1L))
            .Output("peaks", TinyOnnx.Float, "batch", 1L, "height", "width").Output("peak_vals", TinyOnnx.Float, "batch", 1L, "height", "width")
            .Save(dir.File("model.onnx"));
        File.WriteAllText(dir.File("export_metadata.json"), metadata.ToJsonString());
        File.WriteAllText(dir.File("training_config.yaml"), Config("training_config_centered_instance.yaml", ExportFixtures.TopDown));

        using var predictor = Predictor.Load([dir.FullName], new ModelLoadOptions(), new InferenceSettings());
        Assert.Null(predictor.Instance!.Config.StandaloneKind);
        var ex = Assert.Throws<SleapException>(() => PosePredictors.Create(predictor, predictor.Settings));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"'{dir.File("model.onnx")}' is a sleap-nn export of one top-down stage (centered_instance), which takes crops rather than frames. " +
                     "Export the centroid and the centered-instance models together (sleap-nn export CENTROID_DIR INSTANCE_DIR -o OUT) and give that folder, " +
                     "or give the trained model folders.", ex.Message);
    }
}
