using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Tests.Models.Keras;

namespace SleapPS.Tests.Models.Onnx;

public class FixtureConversionTests
{
    [Theory]
    [MemberData(nameof(FixtureModels.Folders), MemberType = typeof(FixtureModels))]
    public void Converted_model_runs_at_its_training_size_and_at_another_size(string folder)
    {
        var expected = FixtureModels.Get(folder);
        byte[] onnx = KerasOnnxConverter.Convert(KerasModel.Read(FixtureModels.H5(folder)));
        using var session = new InferenceSession(onnx);

        Assert.Equal(["input"], session.InputMetadata.Keys);
        Assert.Equal([-1, -1, -1, expected.Input[2]], session.InputMetadata["input"].Dimensions);
        Assert.Equal(expected.Outputs.Select(o => o.Name), session.OutputNames);

        // The stored size, a smaller non-square one and a larger one; all multiples of 16 (the largest max stride here).
        int[][] sizes = [[expected.Input[0], expected.Input[1]], [64, 96], [expected.Input[0] + 32, expected.Input[1] + 64]];
        foreach (var size in sizes)
        {
            var outputs = Run(session, batch: 2, size[0], size[1], expected.Input[2]);
            foreach (var (name, stride, channels) in expected.Outputs)
            {
                var tensor = outputs[name];
                int[] shape = stride == 0 ? [2, channels] : [2, size[0] / stride, size[1] / stride, channels];
                Assert.Equal(shape, tensor.Dimensions.ToArray());
                Assert.All(tensor.ToArray(), v => Assert.True(float.IsFinite(v)));
            }
        }
    }

    [Fact]
    public void Centroid_output_shapes_match_the_brief()
    {
        using var session = new InferenceSession(KerasOnnxConverter.Convert(KerasModel.Read(FixtureModels.H5("minimal_instance.UNet.centroid"))));
        Assert.Equal([1, 96, 96, 1], Run(session, 1, 384, 384, 1)["CentroidConfmapsHead_0"].Dimensions.ToArray());
        Assert.Equal([1, 64, 80, 1], Run(session, 1, 256, 320, 1)["CentroidConfmapsHead_0"].Dimensions.ToArray());
        Assert.Equal([1, 64, 80, 2], Run(session, 1, 256, 320, 1)["OffsetRefinementHead_0"].Dimensions.ToArray());
    }

    [Fact]
    public void Class_vectors_are_probabilities()
    {
        using var session = new InferenceSession(KerasOnnxConverter.Convert(KerasModel.Read(FixtureModels.H5("min_tracks_2node.UNet.topdown_multiclass"))));
        var classes = Run(session, 3, 128, 128, 1)["ClassVectorsHead"];
        for (int n = 0; n < 3; n++)
            Assert.Equal(1f, classes[n, 0] + classes[n, 1], 5);
    }

    [Theory]
    [MemberData(nameof(FixtureModels.Folders), MemberType = typeof(FixtureModels))]
    public void Conversion_is_deterministic(string folder)
    {
        byte[] first = KerasOnnxConverter.Convert(KerasModel.Read(FixtureModels.H5(folder)));
        byte[] second = KerasOnnxConverter.Convert(KerasModel.Read(FixtureModels.H5(folder)));
        Assert.Equal(first, second);
    }

    /// <summary>Runs the session on a deterministic pseudo-random NHWC batch in [0, 1).</summary>
    internal static Dictionary<string, DenseTensor<float>> Run(InferenceSession session, int batch, int height, int width, int channels)
    {
        var random = new Random(height * 1000 + width);
        var input = new DenseTensor<float>([batch, height, width, channels]);
        for (int i = 0; i < input.Length; i++) input.Buffer.Span[i] = random.NextSingle();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return results.ToDictionary(r => r.Name, r => (DenseTensor<float>)r.AsTensor<float>().Clone());
    }
}
