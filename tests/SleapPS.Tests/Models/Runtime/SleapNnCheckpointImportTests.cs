using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Models.SleapNn;
using SleapPS.Tests.Support;
using Xunit.Abstractions;
using static SleapPS.Tests.Models.SleapNn.SleapNnConfigFixtures;

namespace SleapPS.Tests.Models.Runtime;

/// <summary>
/// sleap-nn model folders load end to end: training_config.yaml read, best.ckpt read, the graph built and cached, the
/// session opened; the second load reads the cache; broken folders fail naming what is wrong and cache nothing.
/// </summary>
public class SleapNnCheckpointImportTests(ITestOutputHelper output)
{
    public static TheoryData<string, ModelType, string[], string> Models => new()
    {
        { Centroid, ModelType.Centroid, ["CentroidConfmapsHead"], "centroid" },
        { CenteredInstance, ModelType.CenteredInstance, ["CenteredInstanceConfmapsHead"], "centered_instance" },
        { BottomUp, ModelType.MultiInstance, ["MultiInstanceConfmapsHead", "PartAffinityFieldsHead"], "bottomup" },
        { MultiClassBottomUp, ModelType.MultiClassBottomUp, ["MultiInstanceConfmapsHead", "ClassMapsHead"], "multiclass_bottomup" },
        { MultiClassTopDown, ModelType.MultiClassTopDown, ["CenteredInstanceConfmapsHead", "ClassVectorsHead"], "multiclass_centered_instance" },
        { SingleInstance, ModelType.SingleInstance, ["SingleInstanceConfmapsHead"], "single_instance" },
    };

    /// <summary>No file at all under the cache folder: what every failed load must leave.</summary>
    private static void AssertNothingCached(string cacheFolder)
    {
        if (Directory.Exists(cacheFolder))
            Assert.Empty(Directory.EnumerateFileSystemEntries(cacheFolder));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void First_load_builds_and_caches_second_load_reads_the_cache(string model, ModelType type, string[] outputs, string expected)
    {
        using var cache = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName };
        string folder = ModelFolder(model);
        string checkpoint = Path.Combine(folder, "best.ckpt");
        string entry = new ModelCache(cache.FullName).OnnxPathOf(ModelCache.KeyOfSleapNn(checkpoint, Path.Combine(folder, "training_config.yaml")));

        using (var first = SleapModel.Load(folder, options))
        {
            Assert.False(first.LoadedFromCache);
            Assert.NotNull(first.ConversionTime);
            Assert.Equal(ModelFormat.SleapNnCheckpoint, first.Format);
            Assert.Equal(checkpoint, first.SourcePath);
            Assert.Equal(folder, first.ModelFolder);
            Assert.Equal(entry, first.OnnxPath);
            Assert.Equal(type, first.Type);
            Assert.Equal(ModelFamily.SleapNn, first.Config.Family);
            Assert.Equal(Path.Combine(folder, "training_config.yaml"), first.Config.SourcePath);
            Assert.NotNull(first.SleapNnConfig);
            Assert.Equal(["input"], first.Session.InputNames);
            Assert.Equal(outputs, first.Session.OutputNames);
            Assert.Equal(first.SleapNnConfig!.Backbone.InChannels, first.InputShape.Channels);
            Assert.Equal(first.Config.MaxStride, first.InputShape.MaxStride);
            output.WriteLine($"{model}: first import {first.LoadTime.TotalMilliseconds:0} ms (read + build {first.ConversionTime!.Value.TotalMilliseconds:0} ms)");
        }
        var written = File.GetLastWriteTimeUtc(entry);
        using var second = SleapModel.Load(folder, options);
        Assert.True(second.LoadedFromCache);
        Assert.Null(second.ConversionTime);
        Assert.Equal(entry, second.OnnxPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(entry));
        Assert.Equal(ModelFormat.SleapNnCheckpoint, second.Format);
        Assert.Equal(outputs, second.Session.OutputNames);
        output.WriteLine($"{model}: second import {second.LoadTime.TotalMilliseconds:0} ms (from the cache)");

        // The graph built from the yaml's settings gives sleap-nn's raw outputs on sleap-nn's own input tensor.
        AssertRawOutputs(second.OnnxPath, Path.Combine(Root, "expected", expected + "__raw.npz"), outputs, model);
    }

    /// <summary>The synthetic models (ConvNeXt, SwinT and UNet options the trained ones lack), loaded from their folders.</summary>
    [Theory]
    [InlineData("convnext_centered_instance", new[] { "CenteredInstanceConfmapsHead" })]
    [InlineData("convnext_bottomup", new[] { "MultiInstanceConfmapsHead", "PartAffinityFieldsHead" })]
    [InlineData("swint_centered_instance", new[] { "CenteredInstanceConfmapsHead" })]
    [InlineData("swint_centroid", new[] { "CentroidConfmapsHead" })]
    [InlineData("unet_stem_stride", new[] { "CentroidConfmapsHead" })]
    [InlineData("unet_k5_cpb3", new[] { "CenteredInstanceConfmapsHead" })]
    [InlineData("unet_rgb_nomiddle", new[] { "SingleInstanceConfmapsHead" })]
    public void Synthetic_model_folders_load_and_give_sleap_nns_raw_outputs(string model, string[] outputs)
    {
        using var cache = new TempDir();
        string folder = Path.Combine(Root, "synthetic", model);
        using var loaded = SleapModel.Load(folder, new ModelLoadOptions { CacheFolder = cache.FullName });
        Assert.Equal(ModelFormat.SleapNnCheckpoint, loaded.Format);
        Assert.Equal(outputs, loaded.Session.OutputNames);
        AssertRawOutputs(loaded.OnnxPath, Path.Combine(folder, "expected_outputs.npz"), outputs, model);
    }

    private void AssertRawOutputs(string onnxPath, string npzPath, string[] heads, string model)
    {
        var expected = Npz.Load(npzPath);
        var tensor = SleapNnTensors.NhwcUnitFromUint8Nchw(expected["input"]);
        using var session = new InferenceSession(onnxPath);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        foreach (string head in heads)
        {
            var reference = expected.ContainsKey(head) ? expected[head] : expected["output"];
            double max = SleapNnTensors.MaxDeviation(reference, results.Single(r => r.Name == head).AsTensor<float>());
            output.WriteLine($"{model} {head}: max |onnx - sleap-nn| = {max:E3}");
            Assert.True(max <= 1e-4, $"{model} {head}: {max:E3}");
        }
    }

    [Fact]
    public void The_checkpoint_and_the_config_mean_their_folder()
    {
        using var cache = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName };
        string folder = ModelFolder(Centroid);
        using var byConfig = SleapModel.Load(Path.Combine(folder, "training_config.yaml"), options);
        using var byCheckpoint = SleapModel.Load(Path.Combine(folder, "best.ckpt"), options);
        using var byInitialConfig = SleapModel.Load(Path.Combine(folder, "initial_config.yaml"), options);
        Assert.Equal(Path.Combine(folder, "best.ckpt"), byConfig.SourcePath);
        Assert.Equal(byConfig.SourcePath, byCheckpoint.SourcePath);
        Assert.True(byCheckpoint.LoadedFromCache);
        // initial_config.yaml stands for the trained config beside it.
        Assert.Equal(Path.Combine(folder, "training_config.yaml"), byInitialConfig.Config.SourcePath);
        Assert.True(byInitialConfig.LoadedFromCache);
    }

    [Fact]
    public void Load_logs_the_build_and_the_cache_hit()
    {
        using var cache = new TempDir();
        var log = new List<string>();
        var progress = new List<ModelLoadProgress>();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName, Log = log.Add, Progress = progress.Add };
        string checkpoint = Path.Combine(ModelFolder(SingleInstance), "best.ckpt");
        using (var first = SleapModel.Load(ModelFolder(SingleInstance), options))
            Assert.Matches($"^Built the ONNX graph of '{System.Text.RegularExpressions.Regex.Escape(checkpoint)}' in [0-9.]+ s; cached as '.*\\.onnx'\\.$", Assert.Single(log));
        Assert.Equal(["Reading the sleap-nn checkpoint", "Building the ONNX graph"], progress.Select(p => p.Status));
        log.Clear();
        using (var second = SleapModel.Load(ModelFolder(SingleInstance), options))
            Assert.Equal($"Model cache hit for '{checkpoint}': '{second.OnnxPath}'.", Assert.Single(log));
    }

    [Fact]
    public void A_corrupt_cache_entry_is_rebuilt()
    {
        using var cache = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName };
        string entry;
        using (var first = SleapModel.Load(ModelFolder(Centroid), options))
            entry = first.OnnxPath;
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..1000]);
        using var rebuilt = SleapModel.Load(ModelFolder(Centroid), options);
        Assert.False(rebuilt.LoadedFromCache);
        Assert.True(new FileInfo(entry).Length > 1000);
    }

    [Fact]
    public void An_edited_config_is_a_new_cache_entry()
    {
        using var dir = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = dir.File("cache") };
        string folder = CopyModel(Centroid, dir.FullName);
        string before;
        using (var first = SleapModel.Load(folder, options))
            before = first.OnnxPath;
        // Same weights, another config (the crop size a centroid model does not use): the key covers the config's bytes.
        File.AppendAllText(Path.Combine(folder, "training_config.yaml"), "# edited\n");
        using var second = SleapModel.Load(folder, options);
        Assert.False(second.LoadedFromCache);
        Assert.NotEqual(before, second.OnnxPath);
    }

    [Fact]
    public void Provenance_names_each_models_format()
    {
        using var cache = new TempDir();
        string sleapCentroid = ModelFolders.Path(ModelFolders.Centroid);
        using var predictor = Predictor.Load([sleapCentroid, ModelFolder(CenteredInstance)], new ModelLoadOptions { CacheFolder = cache.FullName }, new InferenceSettings());
        var provenance = SleapPS.Engine.Inference.Output.PredictionProvenance.Build(predictor, predictor.Settings, null, "video.mp4", null, DateTime.Now, DateTime.Now);
        Assert.Equal([sleapCentroid, ModelFolder(CenteredInstance)], (IEnumerable<object?>)provenance["model_paths"]!);
        Assert.Equal(["KerasHdf5", "SleapNnCheckpoint"], (IEnumerable<object?>)provenance["model_formats"]!);
    }

    // ---- Broken folders: a clear error, and nothing cached.

    private static string CopyModel(string model, string parent, bool checkpoint = true, bool config = true)
    {
        string folder = Path.Combine(parent, model);
        Directory.CreateDirectory(folder);
        if (checkpoint)
            File.Copy(Path.Combine(ModelFolder(model), "best.ckpt"), Path.Combine(folder, "best.ckpt"));
        if (config)
            File.Copy(Path.Combine(ModelFolder(model), "training_config.yaml"), Path.Combine(folder, "training_config.yaml"));
        return folder;
    }

    private static SleapException LoadFails(string path, string cacheFolder)
    {
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(path, new ModelLoadOptions { CacheFolder = cacheFolder }));
        AssertNothingCached(cacheFolder);
        return ex;
    }

    [Fact]
    public void A_checkpoint_without_its_config_is_not_found_naming_the_config()
    {
        using var dir = new TempDir();
        string folder = CopyModel(Centroid, dir.FullName, config: false);
        string checkpoint = Path.Combine(folder, "best.ckpt");
        string expected = $"The checkpoint '{checkpoint}' has no training_config.yaml beside it, and SleapPS needs it: sleap-nn keeps the model's skeleton, backbone and heads there, " +
            "not in the checkpoint. Copy the whole model folder from where sleap-nn trained it (best.ckpt and training_config.yaml together).";

        var ex = LoadFails(checkpoint, dir.File("cache"));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(Path.Combine(folder, "training_config.yaml"), ex.Path);
        Assert.Equal(expected, ex.Message);

        var byFolder = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.NotFound, byFolder.Kind);
        Assert.Equal($"The model folder '{folder}' has best.ckpt but no training_config.yaml, and SleapPS needs it: sleap-nn keeps the model's skeleton, backbone and heads there, " +
            "not in the checkpoint. Copy the whole model folder from where sleap-nn trained it.", byFolder.Message);
    }

    [Fact]
    public void A_config_without_its_checkpoint_is_not_found_naming_the_checkpoint()
    {
        using var dir = new TempDir();
        string folder = CopyModel(Centroid, dir.FullName, checkpoint: false);
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(Path.Combine(folder, "best.ckpt"), ex.Path);
        Assert.Equal($"The model folder '{folder}' has training_config.yaml but no best.ckpt (the trained weights). Copy the whole model folder from where sleap-nn trained it.", ex.Message);

        var byConfig = LoadFails(Path.Combine(folder, "training_config.yaml"), dir.File("cache"));
        Assert.Equal(ex.Message, byConfig.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_invalid_data_naming_it()
    {
        using var dir = new TempDir();
        string folder = CopyModel(BottomUp, dir.FullName);
        string checkpoint = Path.Combine(folder, "best.ckpt");
        using (var stream = new FileStream(checkpoint, FileMode.Open, FileAccess.ReadWrite))
            stream.SetLength(stream.Length / 2);
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(checkpoint, ex.Path);
        Assert.Equal($"Cannot read the sleap-nn checkpoint '{checkpoint}': it is not a PyTorch checkpoint (its zip archive is truncated or damaged: its zip directory is missing or unreadable). " +
            "If it was being copied, wait for that to finish; otherwise copy best.ckpt again from the folder sleap-nn trained it in.", ex.Message);
    }

    [Fact]
    public void A_checkpoint_that_is_not_a_zip_is_invalid_data_naming_it()
    {
        using var dir = new TempDir();
        string folder = CopyModel(Centroid, dir.FullName);
        string checkpoint = Path.Combine(folder, "best.ckpt");
        File.WriteAllText(checkpoint, "not a checkpoint, just text\n");
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(checkpoint, ex.Path);
        Assert.Equal($"Cannot read the sleap-nn checkpoint '{checkpoint}': it is not a PyTorch checkpoint (not a zip archive). Choose the best.ckpt that sleap-nn saved in the model folder.", ex.Message);
    }

    [Fact]
    public void A_config_with_an_unknown_backbone_is_refused_naming_it()
    {
        using var dir = new TempDir();
        string folder = CopyModel(Centroid, dir.FullName);
        string config = Path.Combine(folder, "training_config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("    swint: null\n", "    swint: null\n    hourglass:\n      filters: 16\n"));
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The training config '{config}' describes a model SleapPS cannot run: model_config.backbone_config.hourglass (line 81) names the backbone 'hourglass', " +
            "which SleapPS does not know (it builds unet, convnext, swint).", ex.Message);
    }

    [Fact]
    public void A_config_with_an_unknown_head_is_refused_naming_it()
    {
        using var dir = new TempDir();
        string folder = CopyModel(BottomUp, dir.FullName);
        string config = Path.Combine(folder, "training_config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("    multi_class_bottomup: null\n", "      offsets:\n        output_stride: 2\n    multi_class_bottomup: null\n"));
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"The training config '{config}' describes a model SleapPS cannot run: model_config.head_configs.bottomup.offsets (line 100) names the head 'offsets', " +
            "which SleapPS does not know for a bottomup model (its heads are confmaps, pafs).", ex.Message);
    }

    [Fact]
    public void A_checkpoint_lacking_a_layer_the_config_implies_is_refused_naming_the_key()
    {
        using var dir = new TempDir();
        string folder = CopyModel(Centroid, dir.FullName);
        string config = Path.Combine(folder, "training_config.yaml");
        // Three convolutions per block: the checkpoint, trained with two, has no third.
        File.WriteAllText(config, File.ReadAllText(config).Replace("      convs_per_block: 2\n", "      convs_per_block: 3\n"));
        string checkpoint = Path.Combine(folder, "best.ckpt");
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The checkpoint '{checkpoint}' has no weight 'model.backbone.encoders.0.encoder_stack.0.blocks.stack0_enc0_conv2.weight', which its training_config.yaml implies. " +
            "The checkpoint and the config do not belong together: copy both from the same training run folder.", ex.Message);
    }

    [Fact]
    public void A_checkpoint_lacking_a_head_the_config_implies_is_refused_naming_the_key()
    {
        using var dir = new TempDir();
        string folder = CopyModel(BottomUp, dir.FullName);
        string config = Path.Combine(folder, "training_config.yaml");
        // The same heads under multi_class_bottomup: its second head is a ClassMapsHead, which a bottom-up checkpoint lacks.
        string text = File.ReadAllText(config)
            .Replace("    bottomup:\n      confmaps:", "    multi_class_bottomup:\n      confmaps:")
            .Replace("    multi_class_bottomup: null\n", "    bottomup: null\n")
            .Replace("      pafs:\n        edges:\n        - - A\n          - B\n", "      class_maps:\n        classes:\n        - A\n        - B\n");
        File.WriteAllText(config, text);
        var ex = LoadFails(folder, dir.File("cache"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The checkpoint '{Path.Combine(folder, "best.ckpt")}' has no weight 'model.head_layers.1.ClassMapsHead.0.weight', which its training_config.yaml implies. " +
            "The checkpoint and the config do not belong together: copy both from the same training run folder.", ex.Message);
    }

    [Fact]
    public void A_missing_path_names_every_kind_of_model()
    {
        string path = Path.Combine(Root, "model_ckpts", "no_such_model");
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(path, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Cannot find the model '{path}'. Give a SLEAP model folder (training_config.json + best_model.h5), a sleap-nn model folder (training_config.yaml + best.ckpt), " +
            "the path of either's config or weights file, or a model.onnx.", ex.Message);
    }
}
