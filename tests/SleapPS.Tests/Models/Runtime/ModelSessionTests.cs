using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

public class ModelSessionTests
{
    [Fact]
    public void Cpu_session_describes_its_graph_and_runs_on_ready_tensors()
    {
        using var dir = new TempDir();
        string path = TinyOnnx.Nhwc(1, "CentroidConfmapsHead_0").Save(dir.File("tiny.onnx"));
        using var session = ModelSession.Open(path, ExecutionDevice.Cpu);

        Assert.Equal(ExecutionDevice.Cpu, session.Device);
        Assert.Equal(Environment.ProcessorCount, session.IntraOpThreads);
        Assert.Equal(["input"], session.InputNames);
        Assert.Equal(["CentroidConfmapsHead_0"], session.OutputNames);
        Assert.Equal(TensorElementType.Float, session.Inputs[0].ElementType);
        Assert.Equal("[N, H, W, 1]", session.Inputs[0].ShapeText);

        // 1x4x4x1 holding 0..15: 2x2 max pooling keeps 5, 7, 13, 15.
        float[] pixels = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 4, 4, 1]);
        using var outputs = session.Run(input);
        var output = Assert.Single(outputs);
        Assert.Equal([1L, 2, 2, 1], output.GetTensorTypeAndShape().Shape);
        Assert.Equal([5f, 7f, 13f, 15f], output.GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Cuda_without_cuda_says_what_to_install()
    {
        using var dir = new TempDir();
        string path = TinyOnnx.Nhwc(1, "out").Save(dir.File("tiny.onnx"));
        var ex = Assert.Throws<SleapException>(() => ModelSession.Open(path, ExecutionDevice.Cuda));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal(NoGpuHere.Message("Cuda"), ex.Message);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_and_says_so()
    {
        using var dir = new TempDir();
        string path = TinyOnnx.Nhwc(1, "out").Save(dir.File("tiny.onnx"));
        var log = new List<string>();
        using var session = ModelSession.Open(path, ExecutionDevice.Auto, log.Add);

        Assert.Equal(ExecutionDevice.Cpu, session.Device);
        Assert.Equal("Device Auto: the models run on the CPU. " + NoGpuHere.Message("Cuda"), Assert.Single(log));
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_invalid_data_naming_it()
    {
        using var dir = new TempDir();
        string path = dir.File("broken.onnx");
        File.WriteAllBytes(path, TinyOnnx.Nhwc(1, "out").ToBytes()[..40]);
        var ex = Assert.Throws<SleapException>(() => ModelSession.Open(path, ExecutionDevice.Cpu));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Path);
        Assert.StartsWith($"ONNX Runtime cannot load '{path}': ", ex.Message);
    }
}
