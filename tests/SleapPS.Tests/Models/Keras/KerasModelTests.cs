using SleapPS.Engine.Models.Keras;

namespace SleapPS.Tests.Models.Keras;

public class KerasModelTests
{
    [Theory]
    [MemberData(nameof(FixtureModels.Folders), MemberType = typeof(FixtureModels))]
    public void Reads_every_fixture_model(string folder)
    {
        var expected = FixtureModels.Get(folder);
        var model = KerasModel.Read(FixtureModels.H5(folder));

        Assert.Equal(Path.GetFullPath(FixtureModels.H5(folder)), model.SourcePath);
        Assert.Equal(expected.KerasVersion, model.KerasVersion);
        Assert.Equal(expected.Layers, model.Layers.Count);
        Assert.Equal(expected.Parameters, model.ParameterCount);
        Assert.Equal("input", model.InputName);
        Assert.Equal(expected.Input.Select(d => (int?)d), model.InputShape);
        Assert.Equal(expected.Input[2], model.InputChannels);
        Assert.Equal(expected.Outputs.Select(o => o.Name), model.OutputNames);
        Assert.Equal("InputLayer", model.Layers[0].ClassName);

        // Topological: every layer comes after the layers it reads.
        var seen = new HashSet<string>();
        foreach (var layer in model.Layers)
        {
            Assert.All(layer.Inbound, source => Assert.Contains(source.Layer, seen));
            seen.Add(layer.Name);
        }
    }

    [Fact]
    public void Centroid_model_layers_types_and_weights_are_as_stored()
    {
        var model = KerasModel.Read(FixtureModels.H5("minimal_instance.UNet.centroid"));

        var counts = model.Layers.GroupBy(l => l.ClassName).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["InputLayer"] = 1, ["Conv2D"] = 12, ["Activation"] = 11, ["MaxPooling2D"] = 3, ["Conv2DTranspose"] = 1, ["Concatenate"] = 1,
        }, counts);

        var conv = model.Layer("stack0_enc0_conv0");
        Assert.Equal(["input"], conv.Inbound.Select(i => i.Layer));
        Assert.Equal(["stack0_enc0_conv0/kernel:0", "stack0_enc0_conv0/bias:0"], conv.Weights.Select(w => w.Name));
        Assert.Equal([3, 3, 1, 16], conv.FindWeight("kernel")!.Shape);
        Assert.Equal([16], conv.FindWeight("bias")!.Shape);
        Assert.Equal(16, conv.Config["filters"]!.GetValue<int>());

        var transposed = model.Layer("stack0_dec0_s8_to_s4_trans_conv");
        Assert.Equal("Conv2DTranspose", transposed.ClassName);
        Assert.Equal([3, 3, 36, 54], transposed.FindWeight("kernel")!.Shape); // (kh, kw, Cout, Cin)

        // Skip connections: [encoder skip, upsampled], in call order.
        Assert.Equal(["stack0_enc2_act1_relu", "stack0_dec0_s8_to_s4_trans_conv_act_relu"],
            model.Layer("stack0_dec0_s8_to_s4_skip_concat").Inbound.Select(i => i.Layer));
        Assert.Empty(model.Layer("stack0_enc1_pool").Weights);
    }

    [Fact]
    public void Keras_2_7_file_with_vlen_weight_names_reads_the_same_weights()
    {
        var model = KerasModel.Read(FixtureModels.H5("minimal_instance.UNet.centered_instance_with_scaling"));
        var conv = model.Layer("stack0_enc0_conv0");
        Assert.Equal(["stack0_enc0_conv0/kernel:0", "stack0_enc0_conv0/bias:0"], conv.Weights.Select(w => w.Name));
        Assert.Equal(3 * 3 * 1 * 16, conv.FindWeight("kernel")!.Values.Length);
    }

    [Fact]
    public void Top_down_id_model_keeps_its_classification_branch()
    {
        var model = KerasModel.Read(FixtureModels.H5("min_tracks_2node.UNet.topdown_multiclass"));
        var head = model.Layer("ClassVectorsHead");
        Assert.Equal("Dense", head.ClassName);
        Assert.Equal("softmax", head.Config["activation"]!.GetValue<string>());
        Assert.Equal([64, 2], head.FindWeight("kernel")!.Shape);
        Assert.Equal(["pre_classification2_relu"], head.Inbound.Select(i => i.Layer));
        Assert.Equal(["stack0_enc6_middle_contract_act0_relu"], model.Layer("pre_classification_global_pool").Inbound.Select(i => i.Layer));
    }
}
