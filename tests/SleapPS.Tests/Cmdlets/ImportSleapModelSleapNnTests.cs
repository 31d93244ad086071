using System.Management.Automation;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;
using Nn = SleapPS.Tests.Models.SleapNn.SleapNnConfigFixtures;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Import-SleapModel in the real PowerShell engine, on the sleap-nn fixture model folders (best.ckpt + training_config.yaml).</summary>
public sealed class ImportSleapModelSleapNnTests : IDisposable
{
    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    private string Cache => _dir.File("cache");

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(Nn.Centroid, PredictorKind.TopDown)]
    [InlineData(Nn.CenteredInstance, PredictorKind.TopDown)]
    [InlineData(Nn.BottomUp, PredictorKind.BottomUp)]
    [InlineData(Nn.MultiClassBottomUp, PredictorKind.BottomUpMultiClass)]
    [InlineData(Nn.MultiClassTopDown, PredictorKind.TopDownMultiClass)]
    [InlineData(Nn.SingleInstance, PredictorKind.SingleInstance)]
    public void Each_model_folder_imports(string model, PredictorKind kind)
    {
        var result = _host.Run($"Import-SleapModel '{Nn.ModelFolder(model)}' -CacheFolder '{Cache}'");
        Assert.Empty(result.Errors);
        using var predictor = result.Single<Predictor>();
        Assert.Equal(kind, predictor.Kind);
        var loaded = Assert.Single(predictor.Models);
        Assert.Equal(ModelFormat.SleapNnCheckpoint, loaded.Format);
        Assert.Equal(Path.Combine(Nn.ModelFolder(model), "best.ckpt"), loaded.SourcePath);
        Assert.Equal(ModelFamily.SleapNn, loaded.Config.Family);
    }

    [Fact]
    public void Centroid_and_centered_instance_make_a_top_down_predictor()
    {
        using var predictor = _host.Run(
            $"Import-SleapModel '{Nn.ModelFolder(Nn.Centroid)}', '{Nn.ModelFolder(Nn.CenteredInstance)}' -CacheFolder '{Cache}'").Single<Predictor>();
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.Equal(Path.Combine(Nn.ModelFolder(Nn.Centroid), "best.ckpt"), predictor.Centroid!.SourcePath);
        Assert.Equal(Path.Combine(Nn.ModelFolder(Nn.CenteredInstance), "best.ckpt"), predictor.Instance!.SourcePath);
    }

    [Fact]
    public void Centroid_and_multi_class_top_down_make_a_top_down_multi_class_predictor()
    {
        using var predictor = _host.Run(
            $"Import-SleapModel '{Nn.ModelFolder(Nn.Centroid)}', '{Nn.ModelFolder(Nn.MultiClassTopDown)}' -CacheFolder '{Cache}'").Single<Predictor>();
        Assert.Equal(PredictorKind.TopDownMultiClass, predictor.Kind);
        Assert.NotNull(predictor.Centroid);
        Assert.NotNull(predictor.Instance);
    }

    [Fact]
    public void A_sleap_centroid_pairs_with_a_sleap_nn_centered_instance_model()
    {
        string sleapCentroid = ModelFolders.Path(ModelFolders.Centroid);
        using var predictor = _host.Run(
            $"Import-SleapModel '{sleapCentroid}', '{Nn.ModelFolder(Nn.CenteredInstance)}' -CacheFolder '{Cache}'").Single<Predictor>();
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.Equal(ModelFormat.KerasHdf5, predictor.Centroid!.Format);
        Assert.Equal(ModelFormat.SleapNnCheckpoint, predictor.Instance!.Format);
    }

    [Fact]
    public void The_checkpoint_and_the_config_paths_work_and_the_second_import_reads_the_cache()
    {
        string folder = Nn.ModelFolder(Nn.BottomUp);
        string checkpoint = Path.Combine(folder, "best.ckpt");
        var first = _host.Run($"Import-SleapModel '{checkpoint}' -CacheFolder '{Cache}' -Verbose");
        Assert.Contains(first.Verbose, v => v.StartsWith($"Built the ONNX graph of '{checkpoint}' in "));
        Assert.Contains(first.Progress, p => p.StatusDescription.StartsWith("Building the ONNX graph"));
        Assert.False(first.Single<Predictor>().Models[0].LoadedFromCache);

        var second = _host.Run($"Import-SleapModel -LiteralPath '{Path.Combine(folder, "training_config.yaml")}' -CacheFolder '{Cache}' -Verbose");
        Assert.Contains(second.Verbose, v => v.StartsWith($"Model cache hit for '{checkpoint}': '{Cache}"));
        Assert.Contains(second.Verbose, v => v.StartsWith($"bottomup '{checkpoint}': read from the model cache; loaded in "));
        Assert.True(second.Single<Predictor>().Models[0].LoadedFromCache);
    }

    [Fact]
    public void A_checkpoint_without_its_config_is_object_not_found()
    {
        string folder = Path.Combine(_dir.FullName, "model");
        Directory.CreateDirectory(folder);
        string checkpoint = Path.Combine(folder, "best.ckpt");
        File.Copy(Path.Combine(Nn.ModelFolder(Nn.Centroid), "best.ckpt"), checkpoint);
        var error = _host.RunExpectingError($"Import-SleapModel '{checkpoint}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(Path.Combine(folder, "training_config.yaml"), error.TargetObject);
        Assert.StartsWith($"The checkpoint '{checkpoint}' has no training_config.yaml beside it", error.Exception.Message);
        Assert.False(Directory.Exists(Cache));
    }

    [Fact]
    public void A_config_with_an_unknown_backbone_is_not_implemented_naming_it()
    {
        string folder = Path.Combine(_dir.FullName, "model");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Nn.ModelFolder(Nn.Centroid), "best.ckpt"), Path.Combine(folder, "best.ckpt"));
        string config = Path.Combine(folder, "training_config.yaml");
        File.WriteAllText(config, File.ReadAllText(Nn.ModelConfig(Nn.Centroid)).Replace("    swint: null\n", "    swint: null\n    resnet50:\n      depth: 50\n"));
        var error = _host.RunExpectingError($"Import-SleapModel '{folder}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Equal(config, error.TargetObject);
        Assert.Contains("names the backbone 'resnet50', which SleapPS does not know (it builds unet, convnext, swint)", error.Exception.Message);
        Assert.False(Directory.Exists(Cache));
    }
}
