using SleapPS.Engine;
using SleapPS.Engine.Models.Config;
using static SleapPS.Tests.Models.ConfigFiles.FixtureModels;

namespace SleapPS.Tests.Models.ConfigFiles;

/// <summary>The predictor each combination of the fixture models makes (docs/design/inference.md §2).</summary>
public class PredictorPlannerTests
{
    private static readonly Dictionary<string, TrainingConfig> Configs =
        All.ToDictionary(name => name, name => TrainingConfig.Load(Folder(name)));

    private static PredictorPlan Plan(params string[] names) => PredictorPlanner.Plan(names.Select(n => Configs[n]).ToArray());

    private static void AssertIgnored(PredictorPlan plan, params string[] names) =>
        Assert.Equal(names.Select(n => Configs[n]), plan.Ignored);

    [Fact]
    public void CentroidAndCenteredInstanceMakeTopDown()
    {
        PredictorPlan plan = Plan(CenteredInstance, FixtureModels.Centroid);

        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(Configs[FixtureModels.Centroid], plan.Centroid);
        Assert.Same(Configs[CenteredInstance], plan.Instance);
        Assert.Null(plan.Main);
        Assert.False(plan.CentroidFromGroundTruth);
        Assert.False(plan.InstanceFromGroundTruth);
        Assert.Empty(plan.Ignored);
        Assert.Equal([Configs[FixtureModels.Centroid], Configs[CenteredInstance]], plan.Models);
    }

    [Fact]
    public void CentroidAloneTakesInstancesFromGroundTruth()
    {
        PredictorPlan plan = Plan(FixtureModels.Centroid);

        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(Configs[FixtureModels.Centroid], plan.Centroid);
        Assert.Null(plan.Instance);
        Assert.False(plan.CentroidFromGroundTruth);
        Assert.True(plan.InstanceFromGroundTruth);
    }

    [Theory]
    [InlineData(CenteredInstance)]
    [InlineData(CenteredInstanceWithScaling)]
    public void CenteredInstanceAloneTakesCentroidsFromGroundTruth(string instance)
    {
        PredictorPlan plan = Plan(instance);

        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Null(plan.Centroid);
        Assert.Same(Configs[instance], plan.Instance);
        Assert.True(plan.CentroidFromGroundTruth);
        Assert.False(plan.InstanceFromGroundTruth);
    }

    [Fact]
    public void TopDownMultiClassAlone()
    {
        PredictorPlan plan = Plan(TopDownMultiClass);

        Assert.Equal(PredictorKind.TopDownMultiClass, plan.Kind);
        Assert.Null(plan.Centroid);
        Assert.Same(Configs[TopDownMultiClass], plan.Instance);
        Assert.True(plan.CentroidFromGroundTruth);
    }

    [Fact]
    public void TopDownMultiClassWithCentroid()
    {
        // The centroid model was trained on another skeleton (A, B); a centroid model predicts no parts, so that is fine.
        PredictorPlan plan = Plan(FixtureModels.Centroid, TopDownMultiClass);

        Assert.Equal(PredictorKind.TopDownMultiClass, plan.Kind);
        Assert.Same(Configs[FixtureModels.Centroid], plan.Centroid);
        Assert.Same(Configs[TopDownMultiClass], plan.Instance);
        Assert.False(plan.CentroidFromGroundTruth);
        Assert.Empty(plan.Ignored);
    }

    [Fact]
    public void BottomUp()
    {
        PredictorPlan plan = Plan(FixtureModels.BottomUp);

        Assert.Equal(PredictorKind.BottomUp, plan.Kind);
        Assert.Same(Configs[FixtureModels.BottomUp], plan.Main);
        Assert.Null(plan.Centroid);
        Assert.Null(plan.Instance);
        Assert.False(plan.CentroidFromGroundTruth);
        Assert.False(plan.InstanceFromGroundTruth);
        Assert.Empty(plan.Ignored);
    }

    [Fact]
    public void BottomUpMultiClass()
    {
        PredictorPlan plan = Plan(FixtureModels.BottomUpMultiClass);

        Assert.Equal(PredictorKind.BottomUpMultiClass, plan.Kind);
        Assert.Same(Configs[FixtureModels.BottomUpMultiClass], plan.Main);
    }

    [Fact]
    public void BottomUpWinsOverBottomUpMultiClass()
    {
        PredictorPlan plan = Plan(FixtureModels.BottomUpMultiClass, FixtureModels.BottomUp);

        Assert.Equal(PredictorKind.BottomUp, plan.Kind);
        Assert.Same(Configs[FixtureModels.BottomUp], plan.Main);
        AssertIgnored(plan, FixtureModels.BottomUpMultiClass);
    }

    [Fact]
    public void SingleInstanceWinsOverEverythingElse()
    {
        PredictorPlan plan = Plan(FixtureModels.Centroid, CenteredInstance, SingleInstance, FixtureModels.BottomUp, TopDownMultiClass);

        Assert.Equal(PredictorKind.SingleInstance, plan.Kind);
        Assert.Same(Configs[SingleInstance], plan.Main);
        Assert.Null(plan.Centroid);
        Assert.Null(plan.Instance);
        AssertIgnored(plan, FixtureModels.Centroid, CenteredInstance, FixtureModels.BottomUp, TopDownMultiClass);
        Assert.Equal([Configs[SingleInstance]], plan.Models);
    }

    [Fact]
    public void CentroidWithBottomUpIsTopDownAsInSleap()
    {
        PredictorPlan plan = Plan(FixtureModels.Centroid, FixtureModels.BottomUp);

        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(Configs[FixtureModels.Centroid], plan.Centroid);
        Assert.True(plan.InstanceFromGroundTruth);
        AssertIgnored(plan, FixtureModels.BottomUp);
    }

    [Fact]
    public void EmptyList()
    {
        var ex = Assert.Throws<SleapException>(() => PredictorPlanner.Plan([]));

        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("No model was given. Give one trained SLEAP model folder, or two for top-down (a centroid and a centered-instance model).", ex.Message);
    }

    [Fact]
    public void TwoCentroidModels()
    {
        TrainingConfig other = TrainingConfig.Parse(File.ReadAllText(ConfigFile(FixtureModels.Centroid)), "/models/other_centroid/training_config.json");

        var ex = Assert.Throws<SleapException>(() => PredictorPlanner.Plan([Configs[FixtureModels.Centroid], Configs[CenteredInstance], other]));

        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"More than one centroid model was given: '{Folder(FixtureModels.Centroid)}' (centroid), '/models/other_centroid' (centroid). A predictor uses one; give only the one you mean.", ex.Message);
    }

    [Fact]
    public void TwoCenteredInstanceModels()
    {
        var ex = Assert.Throws<SleapException>(() => Plan(FixtureModels.Centroid, CenteredInstance, CenteredInstanceWithScaling));

        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"More than one instance (centered_instance or multi_class_topdown) model was given: '{Folder(CenteredInstance)}' (centered_instance), '{Folder(CenteredInstanceWithScaling)}' (centered_instance). A predictor uses one; give only the one you mean.", ex.Message);
    }

    [Fact]
    public void CenteredInstanceWithTopDownMultiClass()
    {
        // SLEAP would quietly drop the centered-instance model; both are the instance stage.
        var ex = Assert.Throws<SleapException>(() => Plan(TopDownMultiClass, CenteredInstance));

        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"More than one instance (centered_instance or multi_class_topdown) model was given: '{Folder(TopDownMultiClass)}' (multi_class_topdown), '{Folder(CenteredInstance)}' (centered_instance). A predictor uses one; give only the one you mean.", ex.Message);
    }

    [Fact]
    public void TwoBottomUpModels()
    {
        TrainingConfig other = TrainingConfig.Parse(File.ReadAllText(ConfigFile(FixtureModels.BottomUp)), "/models/bu2/training_config.json");

        var ex = Assert.Throws<SleapException>(() => PredictorPlanner.Plan([Configs[FixtureModels.BottomUp], other]));

        Assert.Equal($"More than one multi_instance model was given: '{Folder(FixtureModels.BottomUp)}' (multi_instance), '/models/bu2' (multi_instance). A predictor uses one; give only the one you mean.", ex.Message);
    }

    [Fact]
    public void DuplicatesAmongIgnoredModelsDoNotMatter()
    {
        TrainingConfig other = TrainingConfig.Parse(File.ReadAllText(ConfigFile(FixtureModels.BottomUp)), "/models/bu2/training_config.json");

        PredictorPlan plan = PredictorPlanner.Plan([Configs[SingleInstance], Configs[FixtureModels.BottomUp], other]);

        Assert.Equal(PredictorKind.SingleInstance, plan.Kind);
        Assert.Equal([Configs[FixtureModels.BottomUp], other], plan.Ignored);
    }

    [Fact]
    public void SameModelTwice()
    {
        TrainingConfig again = TrainingConfig.Load(ConfigFile(FixtureModels.Centroid));

        var ex = Assert.Throws<SleapException>(() => PredictorPlanner.Plan([Configs[FixtureModels.Centroid], again]));

        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"The model '{Folder(FixtureModels.Centroid)}' (centroid) was given more than once. Give each model once.", ex.Message);
        Assert.Equal(Folder(FixtureModels.Centroid), ex.Path);
    }
}
