using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Tests.Inference.BottomUp;
using SleapPS.Tests.Inference.SleapNn;
using SleapPS.Tests.Inference.TopDown;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.Core;

/// <summary>
/// The byte-input front (docs/design/gpu.md §3), forced on the CPU: the wrapped graph takes uint8 "input", is cached
/// under its own key, and gives predictions bit-identical to the float path (the same float32 operation on the same
/// bytes), for SLEAP 1.4 top-down and bottom-up models and a sleap-nn model.
/// </summary>
public sealed class ByteInputFrontTests : IDisposable
{
    private const string Video = "centered_pair_low_quality.mp4";
    private readonly TempDir _cache = new();
    private readonly List<Predictor> _loaded = [];

    [Fact]
    public void Sleap14TopDownIsBitIdenticalWithBytes()
    {
        var frames = BottomUpModels.VideoFrames(Paths.Fixture("json_format_v1", Video), 0, 1, 2);
        AssertBitIdentical(Sleap14(InferenceTestData.Centroid, InferenceTestData.CenteredInstance), frames, ByteFrontArithmetic.MultiplyByReciprocal255);
    }

    [Fact]
    public void Sleap14BottomUpIsBitIdenticalWithBytes()
    {
        var frames = BottomUpModels.VideoFrames(Paths.Fixture("json_format_v1", Video), 0, 1);
        AssertBitIdentical(Sleap14("minimal_instance.UNet.bottomup"), frames, ByteFrontArithmetic.MultiplyByReciprocal255);
    }

    [Fact]
    public void SleapNnSingleInstanceIsBitIdenticalWithBytes()
    {
        const string model = "minimal_instance_single_instance";
        AssertBitIdentical([SleapNnFixtures.ModelFolder(model)], SleapNnFixtures.Frames(model), ByteFrontArithmetic.DivideBy255);
    }

    [Fact]
    public void ModelsWhosePreprocessingIsNotByteWorkKeepTheFloatInput()
    {
        // SLEAP 1.4 at input scale 0.5 resizes in float32 after the multiply; a 1-channel sleap-nn model converts colour on floats.
        var forced = Load([Paths.Fixture("models", InferenceTestData.SingleInstanceRobot)], force: true);
        Assert.Equal(TensorElementType.Float, forced.Models.Single().Session.Inputs[0].ElementType);
        var nn = Load([SleapNnFixtures.ModelFolder("minimal_instance_centroid")], force: true);
        Assert.Equal(TensorElementType.Float, nn.Models.Single().Session.Inputs[0].ElementType);
    }

    [Fact]
    public void ScaledBytesFedToTheFrontEqualTheHostsFloats()
    {
        // The host half of the equality, on every byte value and a colour frame: ToModelBytes then x * float32(1/255)
        // is ToModelInput, padding included.
        const int height = 16, width = 16, channels = 3, pad = 8;
        var frame = new byte[height * width * channels];
        for (int i = 0; i < frame.Length; i++) frame[i] = (byte)(i * 7 + i / 3);
        foreach (int modelChannels in new[] { 1, 3 })
        {
            var floats = new float[24 * 24 * modelChannels];
            var bytes = new byte[floats.Length];
            Array.Fill(bytes, (byte)9);
            ImagePreprocessor.ToModelInput(frame, height - 1, width - 3, channels, modelChannels, 1.0, pad, floats, 24, 24);
            ImagePreprocessor.ToModelBytes(frame, height - 1, width - 3, channels, modelChannels, 1.0, pad, bytes, 24, 24);
            for (int i = 0; i < floats.Length; i++)
                Assert.Equal(floats[i], bytes[i] * ImagePreprocessor.ByteToFloat);
        }
        var error = Assert.Throws<InvalidOperationException>(() =>
            ImagePreprocessor.ToModelBytes(frame, height, width, channels, 3, 0.5, pad, new byte[24 * 24 * 3], 24, 24));
        Assert.Equal("Input scale 0.5 resizes in float32 after the uint8 conversion; a model at that scale keeps its float input.", error.Message);
    }

    private static string[] Sleap14(params string[] names) => names.Select(n => Paths.Fixture("models", n)).ToArray();

    private void AssertBitIdentical(string[] folders, IReadOnlyList<FrameInput> frames, ByteFrontArithmetic arithmetic)
    {
        var floats = Load(folders, force: false);
        var bytes = Load(folders, force: true);
        for (int m = 0; m < floats.Models.Count; m++)
        {
            var floatModel = floats.Models[m];
            var byteModel = bytes.Models[m];
            Assert.Equal(TensorElementType.Float, floatModel.Session.Inputs[0].ElementType);
            var input = byteModel.Session.Inputs[0];
            Assert.Equal((ConvertedGraphContract.InputName, TensorElementType.UInt8), (input.Name, input.ElementType));
            Assert.Equal(floatModel.Session.Inputs[0].Shape, input.Shape);
            // Its own cache entry, keyed by the float graph's bytes and the front.
            Assert.NotEqual(floatModel.OnnxPath, byteModel.OnnxPath);
            string key = ByteInputModelCache.KeyOf(File.ReadAllBytes(floatModel.OnnxPath), arithmetic);
            Assert.Equal(key + ".byteinput.onnx", Path.GetFileName(byteModel.OnnxPath));
            Assert.NotEqual(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(floatModel.OnnxPath))).ToLowerInvariant(), key);
        }

        var expected = Predict(floats, frames);
        var actual = Predict(bytes, frames);
        Assert.Contains(expected, p => p.Instances.Count > 0);
        Assert.Equal(expected.Count, actual.Count);
        for (int f = 0; f < expected.Count; f++)
        {
            Assert.Equal(expected[f].Instances.Count, actual[f].Instances.Count);
            for (int i = 0; i < expected[f].Instances.Count; i++)
            {
                var want = expected[f].Instances[i];
                var got = actual[f].Instances[i];
                Assert.Equal(want.Score, got.Score);
                for (int n = 0; n < want.Points.Length; n++)
                    Assert.Equal((want.Points[n].X, want.Points[n].Y, want.Points[n].Score), (got.Points[n].X, got.Points[n].Y, got.Points[n].Score));
            }
        }
    }

    private static IReadOnlyList<FramePrediction> Predict(Predictor predictor, IReadOnlyList<FrameInput> frames)
    {
        using var pose = PosePredictors.Create(predictor, predictor.Settings);
        return pose.PredictBatch(frames, new PredictionOptions(), CancellationToken.None);
    }

    private Predictor Load(string[] folders, bool force)
    {
        var predictor = Predictor.Load(folders,
            new ModelLoadOptions { CacheFolder = _cache.FullName, Device = ExecutionDevice.Cpu, ForceByteInput = force }, new InferenceSettings());
        _loaded.Add(predictor);
        return predictor;
    }

    public void Dispose()
    {
        foreach (var predictor in _loaded)
            predictor.Dispose();
        _cache.Dispose();
    }
}
