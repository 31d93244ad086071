using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Models.Runtime;

public class SleapModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ModelFolders.SingleInstance, ModelType.SingleInstance, "160x280x3 @ max stride 4", new[] { "SingleInstanceConfmapsHead_0" })]
    [InlineData(ModelFolders.Centroid, ModelType.Centroid, "384x384x1 @ max stride 8", new[] { "CentroidConfmapsHead_0", "OffsetRefinementHead_0" })]
    [InlineData(ModelFolders.CenteredInstance, ModelType.CenteredInstance, "96x96x1 @ max stride 8", new[] { "CenteredInstanceConfmapsHead_0", "OffsetRefinementHead_0" })]
    [InlineData(ModelFolders.CenteredInstanceWithScaling, ModelType.CenteredInstance, "56x56x1 @ max stride 8", new[] { "CenteredInstanceConfmapsHead", "OffsetRefinementHead" })]
    [InlineData(ModelFolders.BottomUp, ModelType.MultiInstance, "384x384x1 @ max stride 8", new[] { "MultiInstanceConfmapsHead_0", "PartAffinityFieldsHead_0", "OffsetRefinementHead_0" })]
    [InlineData(ModelFolders.BottomUpMultiClass, ModelType.MultiClassBottomUp, "512x512x1 @ max stride 16", new[] { "MultiInstanceConfmapsHead_0", "ClassMapsHead_0" })]
    [InlineData(ModelFolders.TopDownMultiClass, ModelType.MultiClassTopDown, "128x128x1 @ max stride 16", new[] { "CenteredInstanceConfmapsHead", "ClassVectorsHead" })]
    public void First_load_converts_and_caches_second_load_reads_the_cache(string name, ModelType type, string inputShape, string[] outputs)
    {
        using var cache = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName };
        string folder = ModelFolders.Path(name);
        string keras = Path.Combine(folder, "best_model.h5");
        string entry = new ModelCache(cache.FullName).OnnxPathOf(ModelCache.KeyOf(keras));

        using (var first = SleapModel.Load(folder, options))
        {
            Assert.False(first.LoadedFromCache);
            Assert.NotNull(first.ConversionTime);
            Assert.True(File.Exists(entry));
            Assert.Equal(entry, first.OnnxPath);
            Assert.Equal(type, first.Type);
            Assert.Equal(ModelFormat.KerasHdf5, first.Format);
            Assert.Equal(keras, first.SourcePath);
            Assert.Equal(ExecutionDevice.Cpu, first.Device);
            Assert.Equal(inputShape, first.InputShape.ToString());
            Assert.Equal(["input"], first.Session.InputNames);
            Assert.Equal(outputs, first.Session.OutputNames);
            output.WriteLine($"{name}: first import {first.LoadTime.TotalMilliseconds:0} ms (conversion {first.ConversionTime.Value.TotalMilliseconds:0} ms)");
        }
        var written = File.GetLastWriteTimeUtc(entry);
        using var second = SleapModel.Load(folder, options);
        Assert.True(second.LoadedFromCache);
        Assert.Null(second.ConversionTime);
        Assert.Equal(entry, second.OnnxPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(entry));
        Assert.Equal(inputShape, second.InputShape.ToString());
        Assert.Equal(outputs, second.Session.OutputNames);
        output.WriteLine($"{name}: second import {second.LoadTime.TotalMilliseconds:0} ms (from the cache)");
    }

    [Fact]
    public void The_config_file_and_the_keras_file_mean_their_folder()
    {
        using var cache = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName };
        string folder = ModelFolders.Path(ModelFolders.Centroid);
        using var byConfig = SleapModel.Load(Path.Combine(folder, "training_config.json"), options);
        using var byKeras = SleapModel.Load(Path.Combine(folder, "best_model.h5"), options);
        Assert.Equal(Path.Combine(folder, "training_config.json"), byConfig.Config.SourcePath);
        Assert.Equal(byConfig.SourcePath, byKeras.SourcePath);
        Assert.True(byKeras.LoadedFromCache);
    }

    [Fact]
    public void A_corrupt_cache_entry_is_rebuilt()
    {
        using var cache = new TempDir();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName };
        string folder = ModelFolders.Path(ModelFolders.CenteredInstance);
        string entry;
        using (var first = SleapModel.Load(folder, options))
            entry = first.OnnxPath;
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..1000]);

        var log = new List<string>();
        using var rebuilt = SleapModel.Load(folder, new ModelLoadOptions { CacheFolder = cache.FullName, Log = log.Add });
        Assert.False(rebuilt.LoadedFromCache);
        Assert.Contains(log, line => line.StartsWith($"The cached conversion '{entry}' of '{Path.Combine(folder, "best_model.h5")}' is corrupt; converting again."));
        Assert.True(new FileInfo(entry).Length > 1000);
        using var again = SleapModel.Load(folder, options);
        Assert.True(again.LoadedFromCache);
    }

    [Fact]
    public void Load_logs_the_cache_hit_and_the_conversion()
    {
        using var cache = new TempDir();
        var log = new List<string>();
        var progress = new List<ModelLoadProgress>();
        var options = new ModelLoadOptions { CacheFolder = cache.FullName, Log = log.Add, Progress = progress.Add };
        string folder = ModelFolders.Path(ModelFolders.SingleInstance);
        string keras = Path.Combine(folder, "best_model.h5");
        using (var first = SleapModel.Load(folder, options))
            Assert.Matches($"^Converted '{System.Text.RegularExpressions.Regex.Escape(keras)}' to ONNX in [0-9.]+ s; cached as '.*\\.onnx'\\.$", Assert.Single(log));
        Assert.Equal(["Reading the Keras model", "Converting to ONNX"], progress.Select(p => p.Status));
        log.Clear();
        using (var second = SleapModel.Load(folder, options))
            Assert.Equal($"Model cache hit for '{keras}': '{second.OnnxPath}'.", Assert.Single(log));
    }

    [Fact]
    public void A_missing_path_is_not_found_naming_it()
    {
        string path = Path.Combine(Paths.Fixtures, "models", "no_such_model");
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(path, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.Equal($"Cannot find the model '{path}'. Give a SLEAP model folder (training_config.json + best_model.h5), a sleap-nn model folder (training_config.yaml + best.ckpt), " +
            "the path of either's config or weights file, or a model.onnx.", ex.Message);
    }

    [Fact]
    public void A_folder_without_best_model_is_not_found_naming_the_file()
    {
        using var dir = new TempDir();
        string folder = ModelFolders.Copy(ModelFolders.Centroid, dir.FullName, withKeras: false);
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(folder, new ModelLoadOptions { CacheFolder = dir.File("cache") }));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(Path.Combine(folder, "best_model.h5"), ex.Path);
        Assert.Equal($"The model folder '{folder}' has training_config.json but no best_model.h5 (the trained weights). Copy the whole model folder from where it was trained.", ex.Message);
    }

    [Fact]
    public void A_folder_without_any_model_files_is_not_found()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(dir.FullName, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"The folder '{dir.FullName}' is not a model: it has neither training_config.json and best_model.h5 (a SLEAP model), " +
            "training_config.yaml and best.ckpt (a sleap-nn model), nor model.onnx and export_metadata.json (a sleap-nn export).", ex.Message);
    }

    [Fact]
    public void A_truncated_best_model_is_invalid_data_naming_it()
    {
        using var dir = new TempDir();
        string folder = ModelFolders.Copy(ModelFolders.Centroid, dir.FullName);
        string h5 = ModelFolders.Truncate(folder);
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(folder, new ModelLoadOptions { CacheFolder = dir.File("cache") }));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(h5, ex.Path);
        Assert.StartsWith($"Cannot read the Keras model '{h5}': ", ex.Message);
        Assert.False(Directory.Exists(dir.File("cache")) && Directory.EnumerateFiles(dir.File("cache")).Any());
    }

    [Fact]
    public void An_unsupported_layer_is_not_supported_naming_it()
    {
        using var dir = new TempDir();
        string folder = ModelFolders.Copy(ModelFolders.Centroid, dir.FullName);
        string h5 = ModelFolders.ChangeLayerClass(folder, "stack0_enc0_conv1", "SeparableConv2D");
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(folder, new ModelLoadOptions { CacheFolder = dir.File("cache") }));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal(h5, ex.Path);
        Assert.StartsWith($"Layer 'stack0_enc0_conv1' (SeparableConv2D) is a layer type SleapPS cannot convert. Model: '{h5}'.", ex.Message);
    }

    [Fact]
    public void An_onnx_beside_a_training_config_loads_as_a_user_converted_model()
    {
        using var dir = new TempDir();
        string folder = ModelFolders.Copy(ModelFolders.BottomUp, dir.FullName, withKeras: false);
        string onnx = Path.Combine(folder, "bottomup.onnx");
        File.WriteAllBytes(onnx, KerasOnnxConverter.Convert(Engine.Models.Keras.KerasModel.Read(Path.Combine(ModelFolders.Path(ModelFolders.BottomUp), "best_model.h5"))));

        using var model = SleapModel.Load(onnx, new ModelLoadOptions());
        Assert.Equal(ModelFormat.Onnx, model.Format);
        Assert.Equal(ModelType.MultiInstance, model.Type);
        Assert.Equal(onnx, model.OnnxPath);
        Assert.Equal("?x?x1 @ max stride 8", model.InputShape.ToString());
        Assert.Equal(["A", "B"], model.Skeleton.NodeNames);

        // The folder itself means the same model when it has no best_model.h5 but a model.onnx.
        File.Move(onnx, Path.Combine(folder, "model.onnx"));
        using var byFolder = SleapModel.Load(folder, new ModelLoadOptions());
        Assert.Equal(ModelFormat.Onnx, byFolder.Format);
    }

    [Fact]
    public void An_onnx_whose_outputs_do_not_match_its_training_config_is_invalid_data()
    {
        using var dir = new TempDir();
        string folder = ModelFolders.Copy(ModelFolders.Centroid, dir.FullName, withKeras: false);
        string onnx = TinyOnnx.Nhwc(1, "CentroidConfmapsHead_0", "offsets").Save(Path.Combine(folder, "centroid.onnx"));
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(onnx, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(onnx, ex.Path);
        Assert.Equal($"'{onnx}' has the outputs CentroidConfmapsHead_0, offsets, but its training config '{Path.Combine(folder, "training_config.json")}' (centroid) " +
                     "needs an output named after each of its heads: CentroidConfmapsHead, OffsetRefinementHead; none is named like OffsetRefinementHead. " +
                     "Keep the Keras output names when converting, or give the model folder with best_model.h5.", ex.Message);
    }

    [Fact]
    public void An_onnx_with_another_input_is_invalid_data()
    {
        using var dir = new TempDir();
        string folder = ModelFolders.Copy(ModelFolders.Centroid, dir.FullName, withKeras: false);
        string onnx = new TinyOnnx().Input("image", TinyOnnx.Float, "N", 1L, "H", "W").Node("Identity", ["image"], ["CentroidConfmapsHead_0"])
            .Output("CentroidConfmapsHead_0", TinyOnnx.Float, "N", 1L, "H", "W").Save(Path.Combine(folder, "centroid.onnx"));
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(onnx, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"'{onnx}' has the inputs image Float [N, 1, H, W], but a converted SLEAP model has one input 'input' (float32, or uint8 with SleapPS's byte front; [N, H, W, C] with C fixed).", ex.Message);
    }

    [Fact]
    public void An_onnx_alone_is_not_found_naming_the_missing_config()
    {
        using var dir = new TempDir();
        string onnx = TinyOnnx.Nhwc(1, "out").Save(dir.File("alone.onnx"));
        var ex = Assert.Throws<SleapException>(() => SleapModel.Load(onnx, new ModelLoadOptions()));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal(dir.File("training_config.json"), ex.Path);
    }
}
