using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Tests.Models.Reference;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Models;

/// <summary>
/// Issue 3's yardstick: every output of every fixture model, converted by KerasOnnxConverter and run in
/// ONNX Runtime (CPU, default session options), agrees with the independent float64 reference
/// (<see cref="KerasReference"/>) on random inputs at two sizes and on real frames prepared as SLEAP
/// prepares them. Metric, per output: max |onnx - reference| / max |reference| &lt; 1e-4.
/// </summary>
public class ConversionAccuracyTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private const string Robot = "minimal_robot.UNet.single_instance";
    private const string Centroid = "minimal_instance.UNet.centroid";
    private const string Centered = "minimal_instance.UNet.centered_instance";
    private const string CenteredScaled = "minimal_instance.UNet.centered_instance_with_scaling";
    private const string BottomUp = "minimal_instance.UNet.bottomup";
    private const string BottomUpId = "min_tracks_2node.UNet.bottomup_multiclass";
    private const string TopDownId = "min_tracks_2node.UNet.topdown_multiclass";

    private static string CenteredPairVideo => Paths.Fixture("videos", "centered_pair_small.mp4");
    private static string RobotVideo => Paths.Fixture("videos", "small_robot.mp4");
    private static string ClipVideo => Paths.Fixture("tracks", "clip.mp4");

    /// <summary>Case id -> the model and its network input. Random inputs: the training size (docs/design/models.md §2.6) and a second, non-square multiple of the max stride.</summary>
    private static readonly Dictionary<string, (string Model, Func<NetworkInput> Input)> Cases = new()
    {
        ["robot random 160x280"] = (Robot, () => NetworkInput.Random(1, 160, 280, 3, seed: 1)),
        ["robot random 96x132"] = (Robot, () => NetworkInput.Random(1, 96, 132, 3, seed: 2)),
        ["robot small_robot.mp4 frame 0"] = (Robot, () => NetworkInput.Frame(RobotVideo, 0).Scaled(0.5).PaddedTo(4)),
        ["robot small_robot.mp4 frame 79"] = (Robot, () => NetworkInput.Frame(RobotVideo, 79).Scaled(0.5).PaddedTo(4)),

        ["centroid random 384x384"] = (Centroid, () => NetworkInput.Random(1, 384, 384, 1, seed: 3)),
        ["centroid random 200x136"] = (Centroid, () => NetworkInput.Random(1, 200, 136, 1, seed: 4)),
        ["centroid centered_pair frame 0"] = (Centroid, () => NetworkInput.Frame(CenteredPairVideo, 0).PaddedTo(8)),

        ["centered random 96x96"] = (Centered, () => NetworkInput.Random(1, 96, 96, 1, seed: 5)),
        ["centered random 104x64"] = (Centered, () => NetworkInput.Random(1, 104, 64, 1, seed: 6)),
        ["centered centered_pair frame 0 crop 96"] = (Centered, () => CenteredPairCrop(scale: 1.0, size: 96)),

        ["centered_scaled random 56x56"] = (CenteredScaled, () => NetworkInput.Random(1, 56, 56, 1, seed: 7)),
        ["centered_scaled random 48x72"] = (CenteredScaled, () => NetworkInput.Random(1, 48, 72, 1, seed: 8)),
        ["centered_scaled centered_pair frame 0 x0.5 crop 56"] = (CenteredScaled, () => CenteredPairCrop(scale: 0.5, size: 56)),

        ["bottomup random 384x384"] = (BottomUp, () => NetworkInput.Random(1, 384, 384, 1, seed: 9)),
        ["bottomup random 168x232"] = (BottomUp, () => NetworkInput.Random(1, 168, 232, 1, seed: 10)),
        ["bottomup centered_pair frame 0"] = (BottomUp, () => NetworkInput.Frame(CenteredPairVideo, 0).PaddedTo(8)),

        ["bottomup_id random 512x512"] = (BottomUpId, () => NetworkInput.Random(1, 512, 512, 1, seed: 11)),
        ["bottomup_id random 208x144"] = (BottomUpId, () => NetworkInput.Random(1, 208, 144, 1, seed: 12)),
        ["bottomup_id clip frame 0 x0.5"] = (BottomUpId, () => NetworkInput.Frame(ClipVideo, 0).Scaled(0.5).PaddedTo(16)),

        ["topdown_id random 128x128"] = (TopDownId, () => NetworkInput.Random(1, 128, 128, 1, seed: 13)),
        ["topdown_id random batch of 2 96x160"] = (TopDownId, () => NetworkInput.Random(2, 96, 160, 1, seed: 14)),
        ["topdown_id clip frame 0 crop 128 on thorax"] = (TopDownId, ClipThoraxCrop),
    };

    public static TheoryData<string> CaseIds => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Onnx_outputs_match_the_float64_reference_max_abs_error_over_max_abs_reference_below_1e_4(string caseId)
    {
        var (modelFolder, makeInput) = Cases[caseId];
        string h5Path = Paths.Fixture("models", modelFolder, "best_model.h5");
        var input = makeInput();

        var clock = Stopwatch.StartNew();
        var expected = KerasReference.Run(h5Path, input.ToTensor64());
        var referenceTime = clock.Elapsed;

        clock.Restart();
        byte[] onnx = KerasOnnxConverter.Convert(KerasModel.Read(h5Path));
        var convertTime = clock.Elapsed;
        clock.Restart();
        using var session = new InferenceSession(onnx);
        var inputTensor = new DenseTensor<float>(input.Values, input.Shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(KerasOnnxConverter.InputName, inputTensor)]);
        var onnxTime = clock.Elapsed;

        output.WriteLine($"{caseId}: input [{string.Join(", ", input.Shape)}]; reference {referenceTime.TotalSeconds:0.00} s, convert {convertTime.TotalSeconds:0.00} s, ONNX Runtime session + run {onnxTime.TotalSeconds:0.00} s");
        Assert.Equal(expected.Keys, session.OutputNames);   // named and ordered as the Keras outputs

        var failures = new List<string>();
        foreach (var (name, reference) in expected)
        {
            var actual = results.Single(r => r.Name == name).AsTensor<float>();
            Assert.Equal(reference.Shape, actual.Dimensions.ToArray());
            double maxReference = reference.Data.Max(Math.Abs);
            Assert.True(maxReference > 0, $"{caseId}: reference output {name} is all zero, so it proves nothing.");
            double maxError = 0;
            int i = 0;
            foreach (float value in actual)
                maxError = Math.Max(maxError, Math.Abs(value - reference.Data[i++]));
            double relative = maxError / maxReference;
            output.WriteLine($"  {name} {reference.ShapeText}: max|onnx - ref| = {maxError:E3}, max|ref| = {maxReference:G6}, relative {relative:E3}");
            if (!(relative < Tolerance)) failures.Add($"{name}: relative error {relative:E3}");
        }
        Assert.True(failures.Count == 0, $"{caseId}: " + string.Join("; ", failures));
    }

    /// <summary>A crop of centered_pair frame 0 (optionally scaled first) centred on the bounding-box midpoint of its first labelled instance.</summary>
    private static NetworkInput CenteredPairCrop(double scale, int size)
    {
        var labels = LabelsReader.Read(Paths.Fixture("slp_hdf5", "minimal_instance.slp"));
        var instance = labels.LabeledFrames.Single(f => f.FrameIndex == 0).Instances[0];
        var points = instance.Points.Where(p => p.IsPresent).ToArray();
        double midX = (points.Min(p => p.X) + points.Max(p => p.X)) / 2, midY = (points.Min(p => p.Y) + points.Max(p => p.Y)) / 2;
        var frame = NetworkInput.Frame(CenteredPairVideo, 0);
        if (scale != 1.0) frame = frame.Scaled(scale);
        return frame.CropAround(midX * scale, midY * scale, size, size);
    }

    /// <summary>A 128x128 crop of clip frame 0 centred on the thorax of its first instance (the model's anchor part).</summary>
    private static NetworkInput ClipThoraxCrop()
    {
        var labels = LabelsReader.Read(Paths.Fixture("tracks", "clip.2node.slp"));
        var thorax = labels.LabeledFrames.Single(f => f.FrameIndex == 0).Instances[0]["thorax"];
        return NetworkInput.Frame(ClipVideo, 0).CropAround(thorax.X, thorax.Y, 128, 128);
    }
}
