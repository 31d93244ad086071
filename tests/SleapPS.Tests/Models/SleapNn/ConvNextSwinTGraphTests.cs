using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.SleapNn;
using SleapPS.Engine.Models.SleapNn.Networks;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// The ConvNeXt and SwinT graphs against sleap-nn's own raw head outputs on the synthetic fixture models (random
/// weights that make every parameter matter; SYNTHETIC.md in the fixtures), at the fixture's input size and at others.
/// </summary>
public class ConvNextSwinTGraphTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Models => ["convnext_centered_instance", "convnext_bottomup", "swint_centered_instance", "swint_centroid"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Raw_head_outputs_match_sleap_nn(string model)
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe(model);
        var expected = Npz.Load(SyntheticTransformerModels.Path(model, "expected_outputs.npz"));
        using var session = new InferenceSession(SleapNnGraphBuilder.Build(backbone, heads, SyntheticTransformerModels.Weights(model), model));

        var input = expected["input"];
        var outputs = Run(session, SleapNnTensors.NhwcUnitFromUint8Nchw(input));
        double largest = 0;
        foreach (var head in heads)
        {
            var reference = expected[head.ClassName]; // NCHW
            double worst = SleapNnTensors.MaxDeviation(reference, outputs[head.ClassName]);
            output.WriteLine($"{model} {head.ClassName}: largest |Δ| = {worst:E2} over {reference.Length} values");
            Assert.True(worst <= Tolerance, $"{model} {head.ClassName}: largest deviation {worst:E3} exceeds {Tolerance:E0}.");
            largest = Math.Max(largest, worst);
        }
        output.WriteLine($"{model}: largest |Δ| = {largest:E2}");
    }

    /// <summary>
    /// Other input sizes (multiples of the max stride, 32) run through one graph: square and non-square, smaller and
    /// larger than the fixtures', including maps whose stages fit in one window (no shift) and maps that need padding
    /// to whole windows. Each head's output is its stride's fraction of the input.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void Other_input_sizes_run_with_the_expected_shapes(string model)
    {
        var (backbone, heads) = SyntheticTransformerModels.Describe(model);
        using var session = new InferenceSession(SleapNnGraphBuilder.Build(backbone, heads, SyntheticTransformerModels.Weights(model), model));
        foreach (var (height, width) in new[] { (64, 64), (32, 96), (320, 320), (160, 288) })
        {
            var input = new DenseTensor<float>([2, height, width, backbone.InChannels]);
            var random = new Random(height * 1000 + width);
            for (int i = 0; i < input.Length; i++) input.Buffer.Span[i] = random.NextSingle();
            var outputs = Run(session, input);
            foreach (var head in heads)
            {
                var tensor = outputs[head.ClassName];
                Assert.Equal([2, height / head.OutputStride, width / head.OutputStride, head.OutputChannels], tensor.Dimensions.ToArray());
                Assert.All(tensor.ToArray(), v => Assert.True(float.IsFinite(v)));
            }
        }
    }

    internal static Dictionary<string, DenseTensor<float>> Run(InferenceSession session, DenseTensor<float> input)
    {
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(SleapNnGraphBuilder.InputName, input)]);
        return results.ToDictionary(r => r.Name, r => (DenseTensor<float>)r.AsTensor<float>().Clone());
    }
}
