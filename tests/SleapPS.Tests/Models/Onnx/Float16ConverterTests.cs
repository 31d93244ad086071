using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Onnx.Float16;
using SleapPS.Engine.Models.Onnx.Proto;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Models.Onnx;

/// <summary>
/// The float16 conversion (docs/design/gpu.md §5) on the fixture models: the converted graph keeps the float32 inputs and
/// outputs under their names, stores its convolution weights as float16, keeps resize scales and coordinates float32, and
/// ONNX Runtime's CPU provider runs it with outputs close to the float32 graph's.
/// </summary>
public class Float16ConverterTests(ITestOutputHelper output)
{
    private static string SleapNn(params string[] parts) => Path.GetFullPath(Path.Combine([Paths.Fixtures, "..", "sleap-nn", .. parts]));

    /// <summary>Loads a model through the engine (converting it to ONNX into a temp cache) and returns its float32 ONNX file.</summary>
    private static string Float32Onnx(string modelPath, string cache)
    {
        using var model = SleapModel.Load(modelPath, new ModelLoadOptions { CacheFolder = cache });
        return model.OnnxPath;
    }

    public static TheoryData<string> Models => new()
    {
        Paths.Fixture("models", "minimal_instance.UNet.centroid"),
        Paths.Fixture("models", "minimal_instance.UNet.bottomup"),
        SleapNn("model_ckpts", "minimal_instance_centroid"),
        SleapNn("model_ckpts", "minimal_instance_bottomup"),
        // Transformer backbones: Softmax, LayerNormalization, Erf and Div stay float32 islands inside a float16 network.
        SleapNn("synthetic", "swint_centroid"),
        SleapNn("synthetic", "convnext_bottomup"),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Converted_graph_runs_on_the_cpu_with_float32_io_and_outputs_near_float32(string modelPath)
    {
        using var temp = new TempDir();
        string float32Path = Float32Onnx(modelPath, temp.FullName);
        var (bytes, summary) = Float16Converter.Convert(File.ReadAllBytes(float32Path), float32Path);
        string float16Path = temp.File("model.float16.onnx");
        File.WriteAllBytes(float16Path, bytes);
        output.WriteLine($"{modelPath}: {summary}");

        var original = ModelProto.Parser.ParseFrom(File.ReadAllBytes(float32Path)).Graph;
        var converted = ModelProto.Parser.ParseFrom(bytes).Graph;
        Assert.Equal(original.Input.Select(i => (i.Name, i.Type.TensorType.ElemType)), converted.Input.Select(i => (i.Name, i.Type.TensorType.ElemType)));
        Assert.Equal(original.Output.Select(o => (o.Name, o.Type.TensorType.ElemType)), converted.Output.Select(o => (o.Name, o.Type.TensorType.ElemType)));
        var convWeights = converted.Node.Where(n => n.OpType == "Conv").Select(n => n.Input[1]).ToHashSet();
        Assert.All(converted.Initializer.Where(i => convWeights.Contains(i.Name)), w => Assert.Equal((int)TensorProto.Types.DataType.Float16, w.DataType));
        Assert.True(summary.HalfNodes > 0);

        using var full = new InferenceSession(float32Path);
        using var half = new InferenceSession(float16Path);
        var input = full.InputMetadata.Single();
        int channels = input.Value.Dimensions[3];
        var random = new Random(7);
        var data = new float[1 * 96 * 128 * channels];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.NextDouble();
        using var tensor = OrtValue.CreateTensorValueFromMemory(data, [1, 96, 128, channels]);
        using var expected = full.Run(new RunOptions(), [input.Key], [tensor], full.OutputNames);
        using var actual = half.Run(new RunOptions(), [input.Key], [tensor], half.OutputNames);
        for (int o = 0; o < expected.Count; o++)
        {
            var e = expected[o].GetTensorDataAsSpan<float>();
            var a = actual[o].GetTensorDataAsSpan<float>();
            Assert.Equal(e.Length, a.Length);
            double maxError = 0, maxValue = 0;
            for (int i = 0; i < e.Length; i++)
            {
                maxError = Math.Max(maxError, Math.Abs(e[i] - a[i]));
                maxValue = Math.Max(maxValue, Math.Abs(e[i]));
            }
            output.WriteLine($"  {full.OutputNames[o]}: max |fp16 - fp32| {maxError:G4}, max |fp32| {maxValue:G4}");
            Assert.True(maxError <= 1e-2 * maxValue, $"{full.OutputNames[o]}: {maxError} > 1% of {maxValue}");
        }
    }
}

/// <summary>The float16 conversion of sleap-nn's exports, whose graphs hold pre-processing and peak finding too.</summary>
public class Float16ExportTests
{
    private static string Export(string name) => Path.GetFullPath(Path.Combine(Paths.Fixtures, "..", "sleap-nn", "exports", name, "model.onnx"));

    [Theory]
    [InlineData("centroid")]
    [InlineData("topdown")]
    [InlineData("bottomup")]
    [InlineData("single_instance_input_scale1")]
    public void Peak_finding_and_resize_scales_stay_float32_and_the_networks_turn_float16(string name)
    {
        var (bytes, summary) = Float16Converter.Convert(File.ReadAllBytes(Export(name)), name);
        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        var types = TensorTypes.Infer(graph);
        const int half = (int)TensorProto.Types.DataType.Float16;

        // Nothing computed from peak indices (TopK, ArgMax) is float16. Followed through the inputs whose values an operator
        // passes on: a GridSample samples the image at the peaks (a top-down export's crops are pixels, not coordinates),
        // and a Reshape or Expand takes only its target shape from them.
        var fromPeaks = new HashSet<string>(graph.Node.Where(n => n.OpType is "TopK" or "ArgMax").SelectMany(n => n.Output));
        foreach (var node in graph.Node)
            if (node.OpType is "GridSample" or "Reshape" or "Expand" or "Slice" or "Gather" or "ConstantOfShape"
                    ? node.OpType != "ConstantOfShape" && fromPeaks.Contains(node.Input[0])
                    : node.Input.Any(fromPeaks.Contains))
            {
                Assert.False(node.Output.Any(o => types.GetValueOrDefault(o) == half), $"{node.OpType} {node.Name} reads peak-derived values and writes float16");
                fromPeaks.UnionWith(node.Output);
            }
        // Resize reads float16 pixels at most, never float16 scales or roi.
        foreach (var resize in graph.Node.Where(n => n.OpType == "Resize"))
            Assert.All(resize.Input.Skip(1).Where(i => i.Length > 0), i => Assert.NotEqual(half, types.GetValueOrDefault(i)));
        // Every convolution runs in float16 (a top-down export's instance network too, fed by crops sampled at centroids).
        Assert.All(graph.Node.Where(n => n.OpType is "Conv" or "ConvTranspose"), n => Assert.Equal(half, types.GetValueOrDefault(n.Output[0])));
        Assert.Equal(graph.Output.Count, graph.Output.Count(o => o.Type.TensorType.ElemType == (int)TensorProto.Types.DataType.Float || types[o.Name] != half));
        Assert.True(summary.HalfNodes > 0);
    }

    [Fact]
    public void A_float16_load_converts_once_into_the_cache_and_reads_it_back_the_second_time()
    {
        using var temp = new TempDir();
        var log = new List<string>();
        var options = new ModelLoadOptions { CacheFolder = temp.FullName, Precision = ModelPrecision.Float16, Log = log.Add };
        string first, second;
        using (var model = SleapModel.Load(Export("centroid"), options)) first = model.OnnxPath;
        using (var model = SleapModel.Load(Export("centroid"), options)) second = model.OnnxPath;
        Assert.Equal(first, second);
        Assert.EndsWith(".float16.onnx", first);
        Assert.StartsWith(temp.FullName, first);
        Assert.Contains(log, l => l.StartsWith("Converted '") && l.Contains("to float16"));
        Assert.Contains(log, l => l.StartsWith("Float16 cache hit for '"));
    }

    [Fact]
    public void Bytes_that_are_not_an_onnx_model_fail_with_InvalidData_naming_them()
    {
        var ex = Assert.Throws<SleapException>(() => Float16Converter.Convert([1, 2, 3, 255, 255], "broken.onnx"));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("'broken.onnx' is not an ONNX model", ex.Message);
    }
}
