using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

/// <summary>
/// The TensorRT engine cache keys (docs/design/gpu.md §7), on the CPU: whatever an engine depends on changes the key, the
/// same inputs give the same key, and the key is a pure function of its inputs (the same hex in every process and run).
/// </summary>
public class TensorRtEngineCacheTests
{
    private const string Model = "5f3c2a0e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b";
    private static readonly GpuIdentity H100 = new("NVIDIA H100 80GB HBM3", "9.0", "10.7.0");
    private static readonly GpuIdentity L4 = new("NVIDIA L4", "8.9", "10.7.0");
    private static readonly TensorRtShapeProfile Batch8At384 = new("input", 8, [384, 384, 1]);

    private static string Key(string model = Model, TensorRtShapeProfile? shapes = null, ModelPrecision precision = ModelPrecision.Float32,
        GpuIdentity? gpu = null, string ort = "1.32.0") =>
        TensorRtEngineCache.KeyOf(model, shapes ?? Batch8At384, precision, gpu ?? H100, ort);

    [Fact]
    public void The_same_inputs_give_the_same_key_and_it_is_the_same_in_every_process()
    {
        Assert.Equal(Key(), Key(shapes: new TensorRtShapeProfile("input", 8, [384, 384, 1]), gpu: H100 with { }));
        // A hard-coded value, computed outside .NET (Python's hashlib.sha256 of the canonical text below): the key is a
        // SHA-256 of that text, never a per-process hash code, so every process and run agrees on it.
        // sleapps-tensorrt-1\nmodel=<Model>\nshapes=input:1x384x384x1..input:8x384x384x1\nprecision=Float32\n
        // gpu=NVIDIA H100 80GB HBM3\ncompute=9.0\ntensorrt=10.7.0\nonnxruntime=1.32.0\n
        Assert.Equal("4ffbe28897c5a96657e4e21615230a6ffad45d6d06e136364df5ad465af062a7", Key());
    }

    [Fact]
    public void Two_gpus_two_shapes_two_precisions_and_two_versions_give_different_keys()
    {
        string[] keys =
        [
            Key(),
            Key(gpu: L4),
            Key(gpu: H100 with { ComputeCapability = "9.1" }),
            Key(gpu: H100 with { TensorRtVersion = "10.8.0" }),
            Key(shapes: new TensorRtShapeProfile("input", 8, [512, 512, 1])),
            Key(shapes: new TensorRtShapeProfile("input", 32, [384, 384, 1])),
            Key(precision: ModelPrecision.Float16),
            Key(ort: "1.33.0"),
            Key(model: Model.Replace('5', '6')),
        ];
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{64}$", k));
    }

    [Fact]
    public void The_key_reads_the_model_bytes_so_an_edited_model_gets_another_engine()
    {
        using var temp = new TempDir();
        File.WriteAllBytes(temp.File("a.onnx"), [1, 2, 3]);
        File.WriteAllBytes(temp.File("b.onnx"), [1, 2, 4]);
        Assert.Equal("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", TensorRtEngineCache.Sha256OfFile(temp.File("a.onnx")));
        Assert.NotEqual(TensorRtEngineCache.Sha256OfFile(temp.File("a.onnx")), TensorRtEngineCache.Sha256OfFile(temp.File("b.onnx")));
    }

    [Fact]
    public void Provider_options_put_the_engine_beside_the_converted_models_and_share_the_timing_cache_per_gpu()
    {
        using var temp = new TempDir();
        var cache = new ModelCache(temp.FullName);
        string key = Key(precision: ModelPrecision.Float16);
        var options = TensorRtEngineCache.ProviderOptions(cache, key, H100, ModelPrecision.Float16, Batch8At384, deviceId: 0);
        Assert.Equal(Path.Combine(temp.FullName, "tensorrt", key), options["trt_engine_cache_path"]);
        Assert.Equal("1", options["trt_engine_cache_enable"]);
        Assert.Equal("1", options["trt_fp16_enable"]);
        Assert.Equal("1", options["trt_timing_cache_enable"]);
        Assert.Equal("input:1x384x384x1", options["trt_profile_min_shapes"]);
        Assert.Equal("input:8x384x384x1", options["trt_profile_max_shapes"]);
        Assert.Equal("0", options["device_id"]);
        var otherModel = TensorRtEngineCache.ProviderOptions(cache, Key(), H100, ModelPrecision.Float32, Batch8At384, deviceId: 0);
        Assert.Equal("0", otherModel["trt_fp16_enable"]);
        Assert.Equal(options["trt_timing_cache_path"], otherModel["trt_timing_cache_path"]);
        Assert.NotEqual(options["trt_engine_cache_path"], otherModel["trt_engine_cache_path"]);
        Assert.NotEqual(options["trt_timing_cache_path"], TensorRtEngineCache.ProviderOptions(cache, key, L4, ModelPrecision.Float16, Batch8At384, 0)["trt_timing_cache_path"]);
    }

    [Fact]
    public void Without_an_nvidia_driver_the_gpu_query_answers_null_rather_than_throwing()
    {
        if (File.Exists("/usr/lib/x86_64-linux-gnu/libcuda.so.1") || File.Exists("/usr/local/nvidia/lib64/libcuda.so.1"))
            return; // a GPU machine: the query's answer depends on its GPUs
        Assert.Null(GpuIdentity.TryQuery(0));
    }
}
