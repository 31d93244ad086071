using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

public class PredictorTests
{
    private static Predictor Load(TempDir cache, params string[] names) =>
        Predictor.Load(names.Select(ModelFolders.Path).ToArray(), new ModelLoadOptions { CacheFolder = cache.FullName }, new InferenceSettings());

    [Fact]
    public void Centroid_and_centered_instance_make_a_top_down_predictor()
    {
        using var cache = new TempDir();
        using var predictor = Load(cache, ModelFolders.Centroid, ModelFolders.CenteredInstance);
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.Equal(ModelType.Centroid, predictor.Centroid!.Type);
        Assert.Equal(ModelType.CenteredInstance, predictor.Instance!.Type);
        Assert.Null(predictor.Main);
        Assert.Equal([predictor.Centroid, predictor.Instance], predictor.Models);
        Assert.False(predictor.CentroidFromGroundTruth);
        Assert.False(predictor.InstanceFromGroundTruth);
        Assert.Equal(["A", "B"], predictor.Skeleton.NodeNames);
        Assert.Equal(ExecutionDevice.Cpu, predictor.Device);
        Assert.Equal(["centroid 384x384x1 @ max stride 8", "centered_instance 96x96x1 @ max stride 8"], predictor.InputShapes);
        Assert.Equal("centroid (KerasHdf5), centered_instance (KerasHdf5)", predictor.ModelSummary);
        Assert.Empty(predictor.IgnoredModels);
    }

    [Theory]
    [InlineData(ModelFolders.SingleInstance, PredictorKind.SingleInstance)]
    [InlineData(ModelFolders.BottomUp, PredictorKind.BottomUp)]
    [InlineData(ModelFolders.BottomUpMultiClass, PredictorKind.BottomUpMultiClass)]
    public void One_model_makes_its_own_kind(string name, PredictorKind kind)
    {
        using var cache = new TempDir();
        using var predictor = Load(cache, name);
        Assert.Equal(kind, predictor.Kind);
        Assert.Equal(ModelFolders.Path(name), predictor.Main!.ModelFolder);
        Assert.Equal([predictor.Main], predictor.Models);
    }

    [Fact]
    public void A_top_down_multi_class_model_alone_has_ground_truth_centroids()
    {
        using var cache = new TempDir();
        using var predictor = Load(cache, ModelFolders.TopDownMultiClass);
        Assert.Equal(PredictorKind.TopDownMultiClass, predictor.Kind);
        Assert.True(predictor.CentroidFromGroundTruth);
        Assert.False(predictor.InstanceFromGroundTruth);
        Assert.Equal(["head", "thorax"], predictor.Skeleton.NodeNames);
    }

    [Fact]
    public void A_centroid_model_alone_has_ground_truth_instances()
    {
        using var cache = new TempDir();
        using var predictor = Load(cache, ModelFolders.Centroid);
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.True(predictor.InstanceFromGroundTruth);
        Assert.Equal(["A", "B"], predictor.Skeleton.NodeNames);
    }

    [Fact]
    public void A_model_the_predictor_does_not_use_is_released_and_reported()
    {
        using var cache = new TempDir();
        var log = new List<string>();
        using var predictor = Predictor.Load([ModelFolders.Path(ModelFolders.Centroid), ModelFolders.Path(ModelFolders.BottomUp)],
            new ModelLoadOptions { CacheFolder = cache.FullName, Log = log.Add }, new InferenceSettings());
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.True(predictor.InstanceFromGroundTruth);
        string bottomUp = Path.Combine(ModelFolders.Path(ModelFolders.BottomUp), "best_model.h5");
        Assert.Equal([bottomUp], predictor.IgnoredModels);
        Assert.Contains($"Ignoring '{bottomUp}' (multi_instance): a TopDown predictor does not use it, as in SLEAP.", log);
    }

    [Fact]
    public void Two_centroid_models_make_no_predictor()
    {
        using var dir = new TempDir();
        string copy = ModelFolders.Copy(ModelFolders.Centroid, dir.FullName);
        var ex = Assert.Throws<SleapException>(() => Predictor.Load([ModelFolders.Path(ModelFolders.Centroid), copy],
            new ModelLoadOptions { CacheFolder = dir.File("cache") }, new InferenceSettings()));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"More than one centroid model was given: '{ModelFolders.Path(ModelFolders.Centroid)}' (centroid), '{copy}' (centroid). A predictor uses one; give only the one you mean.", ex.Message);
    }

    [Fact]
    public void Settings_default_to_sleaps_and_are_checked()
    {
        var settings = new InferenceSettings();
        Assert.Equal((4, 0.2, PeakRefinement.Integral, 5, 0.25, 1.0, 10, 0.25, (int?)null),
            (settings.BatchSize, settings.PeakThreshold, settings.Refinement, settings.IntegralPatchSize, settings.MaxEdgeLengthRatio,
             settings.DistPenaltyWeight, settings.PafLinePoints, settings.MinLineScores, settings.MaxInstances));
        var ex = Assert.Throws<SleapException>(() => new InferenceSettings { IntegralPatchSize = 4 });
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("The inference setting IntegralPatchSize is 4; it must be an odd number of at least 1.", ex.Message);
    }

    [Fact]
    public void Cuda_fails_before_any_model_is_converted()
    {
        using var cache = new TempDir();
        var ex = Assert.Throws<SleapException>(() => Predictor.Load([ModelFolders.Path(ModelFolders.Centroid)],
            new ModelLoadOptions { CacheFolder = cache.FullName, Device = ExecutionDevice.Cuda }, new InferenceSettings()));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Empty(Directory.GetFiles(cache.FullName));
    }
}
