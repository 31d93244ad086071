using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Inference.SleapNn;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>
/// sleap-nn model folders through Import-SleapModel | Invoke-SleapPredict in the real PowerShell engine, on
/// minimal_instance.pkg.slp (its frame is embedded as PNG, so the decoded pixels are the ones sleap-nn was given), against
/// sleap-nn's own predictions (docs/design/sleap-nn-inference.md).
/// </summary>
public sealed class InvokeSleapPredictSleapNnTests : IDisposable
{
    private static readonly string Labels = Path.Combine(SleapNnFixtures.Root, "datasets", "minimal_instance.pkg.slp");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("topdown", new[] { "minimal_instance_centroid", "minimal_instance_centered_instance" })]
    [InlineData("bottomup", new[] { "minimal_instance_bottomup" })]
    public void Predicts_what_sleap_nn_predicts(string pipeline, string[] models)
    {
        string output = _dir.File(pipeline + ".slp");
        string folders = string.Join(", ", models.Select(m => $"'{SleapNnFixtures.ModelFolder(m)}'"));
        var result = _host.Run(
            $"Import-SleapModel {folders} -CacheFolder '{_dir.File("cache")}' | Invoke-SleapPredict -Labels '{Labels}' | Export-SleapLabels '{output}'");
        Assert.Empty(result.Errors);

        var labels = LabelsReader.Read(output);
        var frame = Assert.Single(labels.LabeledFrames);
        var expected = SleapNnFixtures.Predictions(pipeline).Frames[frame.FrameIndex];
        var instances = frame.Instances.Cast<PredictedInstance>().ToList();
        Assert.Equal(expected.Length, instances.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            for (int n = 0; n < expected[i].Points.Length; n++)
            {
                Assert.InRange(instances[i].Points[n].X, expected[i].Points[n][0] - 0.01, expected[i].Points[n][0] + 0.01);
                Assert.InRange(instances[i].Points[n].Y, expected[i].Points[n][1] - 0.01, expected[i].Points[n][1] + 0.01);
                Assert.InRange(instances[i].Points[n].Score, expected[i].PointScores[n] - 1e-4, expected[i].PointScores[n] + 1e-4);
            }
            Assert.InRange(instances[i].Score, expected[i].Score - 1e-4, expected[i].Score + 1e-4);
        }
    }
}
