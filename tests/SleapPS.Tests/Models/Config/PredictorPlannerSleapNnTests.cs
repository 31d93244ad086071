using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Tests.Models.SleapNn;
using SleapPS.Tests.Support;
using Nn = SleapPS.Tests.Models.SleapNn.SleapNnConfigFixtures;

namespace SleapPS.Tests.Models.ConfigFiles;

/// <summary>
/// sleap-nn models pair as sleap-nn pairs them, and a SLEAP 1.4 model pairs with a sleap-nn model when their skeletons
/// agree (docs/design/sleap-nn-config.md §9).
/// </summary>
public class PredictorPlannerSleapNnTests
{
    private static readonly Dictionary<string, TrainingConfig> NnConfigs =
        Nn.Trained.ToDictionary(name => name, name => SleapNnConfig.Load(Nn.ModelFolder(name)).ToTrainingConfig());

    private static TrainingConfig Keras(string name) => TrainingConfig.Load(FixtureModels.Folder(name));

    [Fact]
    public void CentroidAndCenteredInstanceMakeTopDown()
    {
        var plan = PredictorPlanner.Plan([NnConfigs[Nn.CenteredInstance], NnConfigs[Nn.Centroid]]);
        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(NnConfigs[Nn.Centroid], plan.Centroid);
        Assert.Same(NnConfigs[Nn.CenteredInstance], plan.Instance);
        Assert.False(plan.CentroidFromGroundTruth);
        Assert.False(plan.InstanceFromGroundTruth);
    }

    [Fact]
    public void CentroidAndMultiClassTopDownMakeTopDownMultiClass()
    {
        var plan = PredictorPlanner.Plan([NnConfigs[Nn.Centroid], NnConfigs[Nn.MultiClassTopDown]]);
        Assert.Equal(PredictorKind.TopDownMultiClass, plan.Kind);
        Assert.Same(NnConfigs[Nn.Centroid], plan.Centroid);
        Assert.Same(NnConfigs[Nn.MultiClassTopDown], plan.Instance);
    }

    [Fact]
    public void CentroidAlonePlansAsTopDownWithoutAnInstanceModel()
    {
        // sleap-nn predicts a centroid model's centroids alone as instances (expected/centroid__pred.json). The plan is
        // top-down with no instance model; the predictors tell it from SLEAP 1.4's ground-truth stand-in by the
        // centroid's family (docs/design/sleap-nn-config.md §9).
        var plan = PredictorPlanner.Plan([NnConfigs[Nn.Centroid]]);
        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(NnConfigs[Nn.Centroid], plan.Centroid);
        Assert.Null(plan.Instance);
        Assert.Equal(ModelFamily.SleapNn, plan.Centroid!.Family);
    }

    [Theory]
    [InlineData(Nn.SingleInstance, PredictorKind.SingleInstance)]
    [InlineData(Nn.BottomUp, PredictorKind.BottomUp)]
    [InlineData(Nn.MultiClassBottomUp, PredictorKind.BottomUpMultiClass)]
    public void OneModelKinds(string model, PredictorKind kind)
    {
        var plan = PredictorPlanner.Plan([NnConfigs[model]]);
        Assert.Equal(kind, plan.Kind);
        Assert.Same(NnConfigs[model], plan.Main);
    }

    [Fact]
    public void SleapCentroidWithSleapNnCenteredInstanceWhenSkeletonsAgree()
    {
        var centroid = Keras(FixtureModels.Centroid);
        var plan = PredictorPlanner.Plan([centroid, NnConfigs[Nn.CenteredInstance]]);
        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(centroid, plan.Centroid);
        Assert.Equal(ModelFamily.Sleap, plan.Centroid!.Family);
        Assert.Equal(ModelFamily.SleapNn, plan.Instance!.Family);
    }

    [Fact]
    public void SleapNnCentroidWithSleapCenteredInstanceWhenSkeletonsAgree()
    {
        var instance = Keras(FixtureModels.CenteredInstance);
        var plan = PredictorPlanner.Plan([NnConfigs[Nn.Centroid], instance]);
        Assert.Equal(PredictorKind.TopDown, plan.Kind);
        Assert.Same(instance, plan.Instance);
    }

    [Fact]
    public void ModelsOfTheTwoFamiliesWithOtherSkeletonsAreRefusedNamingBoth()
    {
        using var dir = new TempDir();
        string renamed = EditedYaml.Write(dir, File.ReadAllText(Nn.ModelConfig(Nn.CenteredInstance))
            .Replace("name: A", "name: nose").Replace("name: B", "name: tail").Replace("        - A\n", "        - nose\n").Replace("        - B\n", "        - tail\n"));
        var instance = SleapNnConfig.Load(renamed).ToTrainingConfig();
        Assert.Equal(["nose", "tail"], instance.Skeleton.NodeNames);
        var centroid = Keras(FixtureModels.Centroid);

        var ex = Assert.Throws<SleapException>(() => PredictorPlanner.Plan([centroid, instance]));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"The centroid model '{centroid.ModelFolder}' (centroid), a SLEAP 1.4 model, and the instance model '{dir.FullName}' (centered_instance), a sleap-nn model, " +
            "have different skeletons: (A, B) and (nose, tail). Models of the two families pair only when their skeletons have the same nodes in the same order: " +
            "give models trained on the same skeleton.", ex.Message);
    }

    [Fact]
    public void TwoInstanceModelsOfTheTwoFamiliesAreStillTwoInstanceModels()
    {
        var ex = Assert.Throws<SleapException>(() => PredictorPlanner.Plan([Keras(FixtureModels.CenteredInstance), NnConfigs[Nn.CenteredInstance]]));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("More than one instance (centered_instance or multi_class_topdown) model was given", ex.Message);
    }
}
