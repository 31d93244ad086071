using SleapPS.Engine.Inference.Exports;
using SleapPS.Engine.Models;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.Exports;

/// <summary>
/// Each of sleap-nn's fixture exports, run by ONNX Runtime through <see cref="ExportRunner"/> on the image sleap-nn ran it
/// on: every output equals what sleap-nn's exported module computed (float32 within 1e-4, NaN where it has NaN; masks
/// exactly).
/// </summary>
/// <remarks>
/// One exception, in the two outputs whose invalid slots are not zero-filled (the centroid export's <c>centroids</c>,
/// the bottom-up export's <c>peaks</c>): the coordinates of slots their mask marks invalid come from top-k among equal
/// −1e9 values, whose order torch leaves unspecified and ONNX Runtime breaks by index. Their values (−1e9) are compared;
/// their coordinates are not, and no consumer reads them (docs/design/sleap-nn-exports.md §1).
/// </remarks>
public class ExportGraphTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Exports => new(ExportFixtures.All);

    [Theory]
    [MemberData(nameof(Exports))]
    public void Every_output_matches_sleap_nn(string name)
    {
        var expected = ExportFixtures.Expected(name);
        using var model = SleapModel.Load(ExportFixtures.Folder(name), new ModelLoadOptions());
        using var runner = new ExportRunner(model);
        var image = expected["image"];
        var input = runner.PrepareInput(image.Shape[0], image.Shape[1], image.Shape[2], image.Shape[3]);
        for (int i = 0; i < input.Length; i++)
            input[i] = (byte)image.Values[i];
        var outputs = runner.Run();

        Assert.Equal(expected.Keys.Where(k => k != "image").Order(), model.Session.OutputNames.Order());
        foreach (var outputName in model.Session.OutputNames)
        {
            var want = expected[outputName];
            Assert.Equal(want.Shape.Select(d => (long)d), outputs.Shape(outputName));
            bool[]? compared = ValidSlots(name, outputName, expected);
            double worst = 0;
            for (int i = 0; i < want.Length; i++)
            {
                if (compared is not null && !compared[i / 2])
                {
                    Assert.True(float.IsFinite(outputs.Floats(outputName)[i]));
                    continue;
                }
                if (want.DType == "|b1")
                {
                    Assert.True(outputs.Bools(outputName)[i] == (want.Values[i] != 0), $"{name}: {outputName}[{i}] differs");
                    continue;
                }
                double got = outputs.Floats(outputName)[i];
                if (double.IsNaN(want.Values[i]))
                {
                    Assert.True(double.IsNaN(got), $"{name}: {outputName}[{i}] is {got}; sleap-nn has NaN");
                    continue;
                }
                worst = Math.Max(worst, Math.Abs(got - want.Values[i]));
            }
            output.WriteLine($"{name}.{outputName}: largest deviation {worst:G3}");
            Assert.InRange(worst, 0, Tolerance);
        }
    }

    [Fact]
    public void A_batch_of_two_frames_gives_each_frame_what_it_gets_alone()
    {
        // The graphs were traced with one frame: their batch axis must still be a real one (no batch size baked in).
        foreach (string name in new[] { ExportFixtures.TopDown, ExportFixtures.BottomUp })
        {
            var image = ExportFixtures.Expected(name)["image"];
            using var model = SleapModel.Load(ExportFixtures.Folder(name), new ModelLoadOptions());
            using var runner = new ExportRunner(model);
            var floats = model.Session.Outputs.Where(o => o.ElementType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float).Select(o => o.Name).ToArray();
            var one = Run(runner, image, 1, floats);
            var two = Run(runner, image, 2, floats);
            foreach (string outputName in floats)
            {
                var alone = one[outputName];
                Assert.Equal(2 * alone.Length, two[outputName].Length);
                Assert.Equal(alone, two[outputName][..alone.Length], (a, b) => Math.Abs(a - b) <= 1e-5f);
                Assert.Equal(alone, two[outputName][alone.Length..], (a, b) => Math.Abs(a - b) <= 1e-5f);
            }
        }
    }

    private static Dictionary<string, float[]> Run(ExportRunner runner, NpyArray image, int copies, string[] outputNames)
    {
        int length = image.Length;
        var input = runner.PrepareInput(copies, image.Shape[1], image.Shape[2], image.Shape[3]);
        for (int c = 0; c < copies; c++)
            for (int i = 0; i < length; i++)
                input[c * length + i] = (byte)image.Values[i];
        var outputs = runner.Run();
        return outputNames.ToDictionary(n => n, n => outputs.Floats(n).ToArray());
    }

    /// <summary>For the (.., 2) coordinate outputs that keep junk in invalid slots: which slots to compare (see the remarks).</summary>
    private static bool[]? ValidSlots(string name, string outputName, IReadOnlyDictionary<string, NpyArray> expected) => (name, outputName) switch
    {
        (ExportFixtures.Centroid, "centroids") => expected["instance_valid"].Values.Select(v => v != 0).ToArray(),
        (ExportFixtures.BottomUp, "peaks") => expected["peak_mask"].Values.Select(v => v != 0).ToArray(),
        _ => null,
    };
}
