using SleapPS.Engine;
using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Keras;

/// <summary>Bad model files give a SleapException that names the file, says what is wrong and what to do.</summary>
public class KerasModelErrorTests
{
    private const string Centroid = "minimal_instance.UNet.centroid";
    private const string Advice = "Train the model with a standard SLEAP backbone, or export it to ONNX with sleap-nn and import that.";

    [Fact]
    public void Missing_file()
    {
        using var temp = new TempDir();
        string path = temp.File("best_model.h5");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.NotFound, error.Kind);
        Assert.Equal(path, error.Path);
        Assert.Equal($"Cannot read the Keras model '{path}': the file does not exist. A SLEAP model folder holds best_model.h5 next to training_config.json; check the path.", error.Message);
    }

    [Fact]
    public void File_that_is_not_hdf5()
    {
        using var temp = new TempDir();
        string path = temp.File("best_model.h5");
        File.WriteAllText(path, "{\"this\": \"is json\"}");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read the Keras model '{path}': it is not an HDF5 file. Choose the best_model.h5 that SLEAP saved in the model folder.", error.Message);
    }

    [Fact]
    public void Truncated_file()
    {
        using var temp = new TempDir();
        string path = temp.File("best_model.h5");
        byte[] bytes = File.ReadAllBytes(FixtureModels.H5(Centroid));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal(path, error.Path);
        Assert.Equal($"Cannot read the Keras model '{path}': the HDF5 file is damaged or incomplete (it is {bytes.Length / 2} bytes long, but its header says {bytes.Length}). If it was being copied, wait for that to finish or copy the model folder again.", error.Message);
    }

    [Fact]
    public void File_cut_inside_its_superblock_area_is_damaged()
    {
        using var temp = new TempDir();
        string path = temp.File("best_model.h5");
        File.WriteAllBytes(path, File.ReadAllBytes(FixtureModels.H5(Centroid))[..1000]);
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.StartsWith($"Cannot read the Keras model '{path}': the HDF5 file is damaged or incomplete (", error.Message);
    }

    [Fact]
    public void Hdf5_file_without_model_config()
    {
        using var temp = new TempDir();
        string path = Copy(temp, Centroid);
        SyntheticKerasModel.Edit(path, "del f.attrs['model_config']");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read '{path}': it is an HDF5 file but not a Keras model file (it has no 'model_config' attribute). Choose the best_model.h5 that SLEAP saved in the model folder.", error.Message);
    }

    [Fact]
    public void Labels_file_is_not_a_keras_model()
    {
        string path = Paths.Fixture("slp_hdf5", "minimal_instance.slp");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Contains("not a Keras model file", error.Message);
    }

    [Fact]
    public void Layer_without_its_weights_group()
    {
        using var temp = new TempDir();
        string path = Copy(temp, Centroid);
        SyntheticKerasModel.Edit(path, "del f['model_weights/stack0_enc1_conv0']");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read the Keras model '{path}': it has no weights group for layer 'stack0_enc1_conv0' (Conv2D) under /model_weights. The file is incomplete or not a whole Keras model; copy the model folder again.", error.Message);
    }

    [Fact]
    public void Layer_listing_a_weight_that_is_missing()
    {
        using var temp = new TempDir();
        string path = Copy(temp, Centroid);
        SyntheticKerasModel.Edit(path, "del f['model_weights/stack0_enc1_conv0/stack0_enc1_conv0/kernel:0']");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot read the Keras model '{path}': layer 'stack0_enc1_conv0' (Conv2D) lists the weight 'stack0_enc1_conv0/kernel:0' but the file has no such dataset. The file is incomplete; copy the model folder again.", error.Message);
    }

    [Fact]
    public void Unsupported_layer_type()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_conv0", "layer['class_name'] = 'Conv3D'");
        var error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(path)));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Equal(path, error.Path);
        Assert.Equal($"Layer 'stack0_enc1_conv0' (Conv3D) is a layer type SleapPS cannot convert. Model: '{path}'. {Advice}", error.Message);
    }

    [Fact]
    public void Conv2D_with_channels_first()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_conv0", "layer['config']['data_format'] = 'channels_first'");
        var error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(path)));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Equal($"Layer 'stack0_enc1_conv0' (Conv2D) uses data_format channels_first, which SleapPS cannot convert. Model: '{path}'. {Advice}", error.Message);
    }

    [Fact]
    public void Option_the_converter_does_not_know()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_pool", "layer['config']['ceil_mode'] = True");
        var error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(path)));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Equal($"Layer 'stack0_enc1_pool' (MaxPooling2D) uses the option 'ceil_mode' = true, which SleapPS cannot convert. Model: '{path}'. {Advice}", error.Message);
    }

    [Fact]
    public void Unsupported_activation_and_interpolation()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_act0_relu", "layer['config']['activation'] = 'gelu'");
        var error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(path)));
        Assert.Equal($"Layer 'stack0_enc1_act0_relu' (Activation) uses activation gelu, which SleapPS cannot convert. Model: '{path}'. {Advice}", error.Message);

        string bilinear = Copy(temp, "min_tracks_2node.UNet.bottomup_multiclass", "bicubic.h5");
        EditLayerOf(bilinear, "stack0_dec0_s16_to_s8_interp_bilinear", "layer['config']['interpolation'] = 'bicubic'");
        error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(bilinear)));
        Assert.Equal($"Layer 'stack0_dec0_s16_to_s8_interp_bilinear' (UpSampling2D) uses interpolation bicubic, which SleapPS cannot convert. Model: '{bilinear}'. {Advice}", error.Message);
    }

    [Fact]
    public void Lambda_layer_that_is_not_one_of_sleaps()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_act0_relu", "layer['class_name'] = 'Lambda'; layer['config'] = {'name': layer['name'], 'trainable': True, 'dtype': 'float32', 'function': ['4wEAAAAA', None, None], 'function_type': 'lambda', 'module': '__main__', 'output_shape': None, 'output_shape_type': 'raw', 'output_shape_module': None, 'arguments': {}}");
        var error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(path)));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Equal($"Layer 'stack0_enc1_act0_relu' (Lambda) uses a Python function (Lambda layers other than SLEAP's tile_channels, imagenet_preproc_v1 and ensure_rgb), which SleapPS cannot convert. Model: '{path}'. {Advice}", error.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_layer_config()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_conv0", "layer['config']['kernel_size'] = [5, 5]");
        var error = Assert.Throws<SleapException>(() => KerasOnnxConverter.Convert(KerasModel.Read(path)));
        Assert.Equal(SleapErrorKind.InvalidData, error.Kind);
        Assert.Equal($"Cannot convert the Keras model '{path}': layer 'stack0_enc1_conv0' (Conv2D) has a 'kernel' weight of shape (3, 3, 16, 24), but its config and input need (5, 5, 16, 24). The file is damaged or was not saved by SLEAP; copy the model folder again.", error.Message);
    }

    [Fact]
    public void Nested_model_is_reported_by_name()
    {
        using var temp = new TempDir();
        string path = EditLayer(temp, "stack0_enc1_conv0", "layer['class_name'] = 'Functional'; layer['config'] = {'name': layer['name'], 'layers': [], 'input_layers': [], 'output_layers': []}");
        var error = Assert.Throws<SleapException>(() => KerasModel.Read(path));
        Assert.Equal(SleapErrorKind.NotSupported, error.Kind);
        Assert.Equal($"Layer 'stack0_enc1_conv0' (Functional) is a nested Keras model (such as a pretrained encoder), which SleapPS cannot convert. Model: '{path}'. Train the model with a UNet, LEAP, hourglass or ResNet backbone, or export it to ONNX with sleap-nn.", error.Message);
    }

    private static string Copy(TempDir temp, string folder, string name = "best_model.h5")
    {
        string path = temp.File(name);
        File.Copy(FixtureModels.H5(folder), path);
        return path;
    }

    /// <summary>A copy of the centroid model whose model_config has <paramref name="change"/> applied to one layer (Python, <c>layer</c> = its dict).</summary>
    private static string EditLayer(TempDir temp, string layerName, string change)
    {
        string path = Copy(temp, Centroid);
        EditLayerOf(path, layerName, change);
        return path;
    }

    private static void EditLayerOf(string path, string layerName, string change) =>
        SyntheticKerasModel.Edit(path, $$"""
            config = json.loads(f.attrs['model_config'])
            layer = next(l for l in config['config']['layers'] if l['name'] == '{{layerName}}')
            {{change}}
            f.attrs['model_config'] = json.dumps(config)
            """);
}
