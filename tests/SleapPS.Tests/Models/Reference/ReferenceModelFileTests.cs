using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Reference;

/// <summary>The reference's own reading of best_model.h5 gets the graph and every weight (checked against h5py's values and the parameter counts of docs/design/models.md §2.6).</summary>
public class ReferenceModelFileTests
{
    private static string Model(string folder) => Paths.Fixture("models", folder, "best_model.h5");

    [Theory]
    [InlineData("minimal_robot.UNet.single_instance", 18_250)]
    [InlineData("minimal_instance.UNet.centroid", 127_235)]
    [InlineData("minimal_instance.UNet.centered_instance", 150_674)]
    [InlineData("minimal_instance.UNet.centered_instance_with_scaling", 150_674)]
    [InlineData("minimal_instance.UNet.bottomup", 150_748)]
    [InlineData("min_tracks_2node.UNet.bottomup_multiclass", 80_683)]
    [InlineData("min_tracks_2node.UNet.topdown_multiclass", 91_731)]
    public void Every_weight_is_read(string folder, int parameterCount)
    {
        var model = ReferenceModelFile.Read(Model(folder));

        Assert.Equal(parameterCount, model.Layers.Sum(l => l.Weights.Values.Sum(w => w.Values.Length)));
        Assert.Equal(["input"], model.InputLayers);
        Assert.All(model.Layers, l => Assert.All(l.Weights.Values, w => Assert.Equal(w.Shape.Aggregate(1, (a, b) => a * b), w.Values.Length)));
    }

    [Fact]
    public void Keras_2_4_file_weights_match_h5py()
    {
        var model = ReferenceModelFile.Read(Model("minimal_instance.UNet.centroid"));
        var layer = model.Layers.Single(l => l.Name == "stack0_dec0_s8_to_s4_trans_conv");
        var kernel = layer.Weight("kernel");

        Assert.Equal("Conv2DTranspose", layer.ClassName);
        Assert.Equal(["stack0_enc5_middle_contract_act0_relu"], layer.Inbound);
        Assert.Equal([3, 3, 36, 54], kernel.Shape);
        Assert.Equal((double)-0.019925761967897415f, kernel.Values[((2 * 3 + 1) * 36 + 3) * 54 + 5]);   // kernel[2,1,3,5]
        Assert.Equal((double)0.05882282555103302f, kernel.Values[^1]);
        Assert.Equal((double)0.010082284919917583f, layer.Weight("bias").Values[1]);
        Assert.Equal(["CentroidConfmapsHead_0", "OffsetRefinementHead_0"], model.OutputLayers);
    }

    [Fact]
    public void Keras_2_7_file_with_vlen_weight_names_matches_h5py()
    {
        var model = ReferenceModelFile.Read(Model("minimal_instance.UNet.centered_instance_with_scaling"));
        var layer = model.Layers.Single(l => l.Name == "OffsetRefinementHead");
        var kernel = layer.Weight("kernel");

        Assert.Equal([1, 1, 24, 4], kernel.Shape);
        Assert.Equal((double)-0.2643228769302368f, kernel.Values[7 * 4 + 3]);    // kernel[0,0,7,3]
        Assert.Equal((double)-0.1204950138926506f, kernel.Values[^1]);
        Assert.Equal((double)-0.001807001419365406f, layer.Weight("bias").Values[1]);
        Assert.Equal(["CenteredInstanceConfmapsHead", "OffsetRefinementHead"], model.OutputLayers);
    }

    [Fact]
    public void Concatenate_inputs_keep_their_inbound_order_skip_first()
    {
        var model = ReferenceModelFile.Read(Model("min_tracks_2node.UNet.bottomup_multiclass"));

        Assert.Equal(["stack0_enc3_act1_relu", "stack0_dec0_s16_to_s8_interp_bilinear"],
            model.Layers.Single(l => l.Name == "stack0_dec0_s16_to_s8_skip_concat").Inbound);
    }
}
