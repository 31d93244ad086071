using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Exports;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.Exports;

/// <summary>
/// sleap-nn's fixture exports predicting through SleapPS's engine (Predictor.Load, PosePredictors.Create, PredictBatch)
/// on the frames sleap-nn ran them on: the instances are those their outputs imply (<see cref="ExpectedInstances"/>),
/// points within 0.01 px and scores within 1e-4.
/// </summary>
public class ExportPredictionTests(ITestOutputHelper output)
{
    public static TheoryData<string> Exports => new(ExportFixtures.All);

    private static IReadOnlyList<FramePrediction> Predict(string name, InferenceSettings? settings = null, PredictionOptions? options = null)
    {
        using var predictor = ExportFixtures.Load(name, settings);
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        Assert.IsAssignableFrom<ExportPredictor>(pose);
        Assert.False(pose.RequiresGroundTruth);
        return pose.PredictBatch(ExportFixtures.Frames(name), options ?? PredictionOptions.Default, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public void Each_export_predicts_the_instances_its_outputs_imply(string name)
    {
        var predictions = Predict(name);
        Assert.Equal(ExportFixtures.Frames(name).Count, predictions.Count);
        for (int f = 0; f < predictions.Count; f++)
        {
            Assert.Equal(f, predictions[f].FrameIndex);
            var (points, scores) = ExpectedInstances.AssertMatch(ExpectedInstances.Of(name, f), predictions[f].Instances);
            output.WriteLine($"{name} frame {f}: {predictions[f].Instances.Count} instance(s), largest deviation {points:G3} px, {scores:G3} in scores");
        }
    }

    [Fact]
    public void The_centroid_export_alone_gives_centroids_on_a_one_node_skeleton_without_ground_truth()
    {
        using var predictor = ExportFixtures.Load(ExportFixtures.Centroid);
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.Same(predictor.Main, predictor.Models.Single());
        Assert.False(predictor.CentroidFromGroundTruth);
        Assert.False(predictor.InstanceFromGroundTruth);
        Assert.Equal(["centroid"], predictor.Skeleton.NodeNames);

        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        var instances = pose.PredictBatch(ExportFixtures.Frames(ExportFixtures.Centroid), PredictionOptions.Default, CancellationToken.None).Single().Instances;
        Assert.Equal([(124.0, 180.0), (244.0, 196.0)], instances.Select(i => (i.Points[0].X, i.Points[0].Y)));
        Assert.All(instances, i => Assert.Same(predictor.Skeleton, i.Skeleton));
    }

    [Fact]
    public void Bottom_up_groups_the_exported_line_scores_into_the_best_pairs()
    {
        var instances = Predict(ExportFixtures.BottomUp).Single().Instances.Cast<PredictedInstance>().ToList();
        // A's two peaks each pair with the B peak across from them (line scores 1.018 and 1.028), not the nearer-in-slot one.
        Assert.Equal([(206.0, 188.0, 280.0, 202.0), (92.0, 202.0, 152.0, 158.0)],
            instances.Select(i => (i.Points[0].X, i.Points[0].Y, i.Points[1].X, i.Points[1].Y)));
        Assert.Equal([1.01799, 1.02761], instances.Select(i => Math.Round(i.Score, 5)));
    }

    [Fact]
    public void Multi_class_top_down_finds_nothing_on_the_fixture_frame_as_sleap_nn_does()
    {
        // The barely trained model's node peaks are all below the threshold (sleap-nn's own pipeline finds nothing either).
        var prediction = Predict(ExportFixtures.TopDownMultiClass, options: new PredictionOptions { IncludeRaw = true }).Single();
        Assert.Empty(prediction.Instances);
        var raw = prediction.Raw!;
        Assert.Equal(2, raw.NValid);
        Assert.Equal(new float[,] { { 124, 180 }, { 244, 196 } }, raw.Centroids);
        // Both crops have logits (0, 1): each class gets one crop, with probability softmax(0, 1) of that class.
        Assert.Equal(2, raw.InstanceScores!.Length);
        Assert.Equal([0.268941f, 0.731059f], raw.InstanceScores.Order().Select(s => MathF.Round(s, 6)));
    }

    [Fact]
    public void Top_down_raw_arrays_hold_the_kept_centroids_and_their_poses()
    {
        var raw = Predict(ExportFixtures.TopDown, options: new PredictionOptions { IncludeRaw = true }).Single().Raw!;
        Assert.Equal(2, raw.NValid);
        Assert.Equal(new float[,] { { 124, 180 }, { 244, 196 } }, raw.Centroids);
        Assert.Equal(new float[,,] { { { 92, 202 }, { 152, 158 } }, { { 206, 188 }, { 280, 202 } } }, raw.InstancePeaks);
        Assert.Null(raw.InstanceScores);
    }

    [Fact]
    public void Max_instances_keeps_the_best_centroids()
    {
        var instances = Predict(ExportFixtures.Centroid, new InferenceSettings { MaxInstances = 1 }).Single().Instances;
        Assert.Equal((124.0, 180.0), (instances.Single().Points[0].X, instances.Single().Points[0].Y));
    }

    [Fact]
    public void A_peak_threshold_above_the_baked_one_tightens_it_on_the_host()
    {
        // Top-down: node values 1.012, 0.373 and 1.139, 0.878; at 0.9 the second node of each goes.
        var topDown = Predict(ExportFixtures.TopDown, new InferenceSettings { PeakThreshold = 0.9 }).Single().Instances;
        Assert.Equal(2, topDown.Count);
        Assert.All(topDown, i => Assert.Equal([true, false], i.Points.Select(p => p.IsPresent)));

        // Bottom-up: B's peak of value 0.376 goes; A's two peaks compete for the one left, and the better line wins.
        var bottomUp = Predict(ExportFixtures.BottomUp, new InferenceSettings { PeakThreshold = 0.4 }).Single().Instances;
        var only = Assert.IsType<PredictedInstance>(Assert.Single(bottomUp));
        Assert.Equal((92.0, 202.0, 152.0, 158.0), (only.Points[0].X, only.Points[0].Y, only.Points[1].X, only.Points[1].Y));
        Assert.Equal(1.02761, only.Score, 5);

        // Centroids: values 0.967 and 0.955.
        Assert.Single(Predict(ExportFixtures.Centroid, new InferenceSettings { PeakThreshold = 0.96 }).Single().Instances);
    }

    [Fact]
    public void A_combined_top_down_export_refuses_frames_of_another_size_than_it_was_traced_at()
    {
        using var predictor = ExportFixtures.Load(ExportFixtures.TopDown);
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        var frame = new FrameInput(new Video("other.mp4", VideoBackend.Media), 0, new byte[192 * 384], 192, 384, 1);
        var ex = Assert.Throws<SleapException>(() => pose.PredictBatch([frame], PredictionOptions.Default, CancellationToken.None));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"The combined top-down sleap-nn export '{predictor.Main!.OnnxPath}' was traced at 384x384 (its training config's max_height and max_width) " +
                     "and cannot predict on 192x384 frames: its crops are cut at a scale fixed for the traced size, so sleap-nn would return poses from wrongly scaled crops. " +
                     "Export the model again at your videos' size (sleap-nn export CENTROID_DIR INSTANCE_DIR --input-height H --input-width W).", ex.Message);
    }

    [Fact]
    public void Other_exports_take_frames_at_their_own_size_and_a_size_the_graph_cannot_take_is_a_clear_error()
    {
        using var predictor = ExportFixtures.Load(ExportFixtures.Centroid);
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        // Twice the traced size, as sleap-nn would run it: the graph takes it (sides are multiples of the max stride 8).
        var big = new FrameInput(new Video("big.mp4", VideoBackend.Media), 0, new byte[768 * 768], 768, 768, 1);
        Assert.Empty(pose.PredictBatch([big], PredictionOptions.Default, CancellationToken.None).Single().Instances);

        var odd = new FrameInput(new Video("odd.mp4", VideoBackend.Media), 0, new byte[100 * 100], 100, 100, 1);
        var ex = Assert.Throws<SleapException>(() => pose.PredictBatch([odd], PredictionOptions.Default, CancellationToken.None));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith($"The sleap-nn export '{predictor.Main!.OnnxPath}' cannot run on 100x100 frames: ", ex.Message);
        Assert.EndsWith("Like sleap-nn, SleapPS gives an export each frame at its own size; this one was traced at 384x384 and takes frames whose height and width are multiples of its max stride (8). " +
                        "Export the model again at your videos' size (sleap-nn export --input-height H --input-width W).", ex.Message);
    }

    [Fact]
    public void Grey_frames_become_rgb_for_an_rgb_export_and_rgb_frames_grey_for_a_grey_one()
    {
        // sleap-nn's checkpoint pipeline's conversions (its export runtime has none): grey repeated; RGB weighted and truncated.
        Span<byte> nchw = stackalloc byte[6];
        ExportImages.Write([10, 200], 1, 2, 1, 3, nchw);
        Assert.Equal([10, 200, 10, 200, 10, 200], nchw.ToArray());
        Span<byte> grey = stackalloc byte[2];
        ExportImages.Write([255, 255, 255, 10, 20, 30], 1, 2, 3, 1, grey);
        Assert.Equal([254, 18], grey.ToArray()); // 0.9999·255 = 254.97 and 2.989 + 11.74 + 3.42 = 18.15, truncated
    }
}
