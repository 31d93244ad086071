using System.Collections;
using System.Text.Json.Nodes;
using SleapPS.Engine.Evaluation;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Evaluation;

/// <summary>
/// Every metric SLEAP stored in metrics.{train,val}.npz of the minimal_instance models, recomputed from the
/// labels_gt / labels_pr files stored beside it, to 1e-6 (docs/design/references.md §2.5). The npz is read with numpy.
/// </summary>
public class StoredMetricsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    public static TheoryData<string, string> ModelSplits()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "bottomup", "centered_instance", "centroid" })
            foreach (var split in new[] { "train", "val" })
                data.Add(model, split);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelSplits))]
    public void Every_stored_metric_is_reproduced_from_the_stored_labels(string model, string split)
    {
        var folder = Paths.Fixture("models", $"minimal_instance.UNet.{model}");
        var stored = JsonNode.Parse(H5py.Run("sleap_metrics_npz.py", Path.Combine(folder, $"metrics.{split}.npz")))!.AsObject();
        var metrics = Evaluator.Evaluate(
            LabelsReader.Read(Path.Combine(folder, $"labels_gt.{split}.slp")),
            LabelsReader.Read(Path.Combine(folder, $"labels_pr.{split}.slp")));
        var ours = metrics.ToSleapDictionary();

        Assert.True(stored.Count >= 36, $"Expected SLEAP's full metrics dictionary, got {stored.Count} keys.");
        var failures = new List<string>();
        foreach (var (key, expected) in stored)
        {
            Assert.True(ours.ContainsKey(key), $"We compute no '{key}'.");
            double deviation = MaxDeviation(expected, ours[key], key);
            output.WriteLine($"{model} {split} {key}: max |ours - SLEAP| = {deviation:G3}");
            if (!(deviation <= Tolerance)) failures.Add($"{key}: {deviation:G6}");
        }
        Assert.True(failures.Count == 0, $"{model} {split}: keys off by more than {Tolerance}: {string.Join("; ", failures)}");
    }

    /// <summary>The largest difference between a JSON value from numpy and ours; NaN matches null; shapes must agree.</summary>
    private static double MaxDeviation(JsonNode? expected, object? actual, string path)
    {
        switch (expected)
        {
            case null:
                return actual is double d && double.IsNaN(d) ? 0 : throw new Xunit.Sdk.XunitException($"{path}: SLEAP has NaN, we have {actual}.");
            case JsonArray array:
                var items = (actual as IEnumerable ?? throw new Xunit.Sdk.XunitException($"{path}: SLEAP has an array, we have {actual}."))
                    .Cast<object?>().ToList();
                Assert.True(array.Count == items.Count, $"{path}: SLEAP has {array.Count} entries, we have {items.Count}.");
                return array.Select((item, i) => MaxDeviation(item, items[i], $"{path}[{i}]")).DefaultIfEmpty(0).Max();
            case JsonValue value when value.TryGetValue(out bool flag):
                return actual is bool ours && ours == flag ? 0 : throw new Xunit.Sdk.XunitException($"{path}: SLEAP has {flag}, we have {actual}.");
            case JsonValue value when value.TryGetValue(out string? text):
                return Equals(actual, text) ? 0 : throw new Xunit.Sdk.XunitException($"{path}: SLEAP has '{text}', we have '{actual}'.");
            default:
                double number = expected.GetValue<double>();
                double mine = Convert.ToDouble(actual ?? throw new Xunit.Sdk.XunitException($"{path}: we have nothing."));
                return double.IsNaN(mine) ? double.PositiveInfinity : Math.Abs(mine - number);
        }
    }
}
