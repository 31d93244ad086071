using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.Identity;

namespace SleapPS.Tests.Inference.Identity;

/// <summary>docs/design/references.md §3.3: SLEAP's test_inference_identity.py, and the class-vector analogue.</summary>
public class IdentityGroupingAnchorTests
{
    [Fact]
    public void Group_class_peaks_keeps_only_matches_to_each_peaks_best_class()
    {
        float[] probabilities = [0.1f, 0.9f, 0.9f, 0.1f, 0.95f, 0.05f, 0.8f, 0.2f, 0.9f, 0.1f, 0.85f, 0.15f, 0.1f, 0.9f];
        var (peaks, classes) = ClassPeakGrouping.GroupClassPeaks(probabilities, 2, [0, 0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 0, 0, 0], 2, 2);

        Assert.Equal([0, 1, 2, 4, 6], peaks);
        Assert.Equal([1, 0, 0, 0, 1], classes); // peak 3's best class went to peak 2: dropped, no second choice
    }

    [Fact]
    public void Classify_peaks_from_maps_scatters_by_sample_class_and_node()
    {
        float[][] probabilities = [[0.1f, 0.9f], [0.91f, 0.09f], [0.95f, 0.05f], [0.8f, 0.2f], [0.92f, 0.08f], [0.85f, 0.15f], [0.07f, 0.93f]];
        int[] samples = [0, 0, 0, 0, 1, 1, 1], channels = [0, 0, 1, 1, 0, 0, 0];
        float[] x = Enumerable.Range(0, 7).Select(i => 2f * i).ToArray();
        float[] y = Enumerable.Range(0, 7).Select(i => 2f * i + 1).ToArray();
        var maps = new float[2 * 14 * 14 * 2];
        var view = new MapView(maps, 2, 14, 14, 2);
        for (int i = 0; i < 7; i++)
            for (int c = 0; c < 2; c++)
                maps[view.IndexOf(samples[i], (int)y[i], (int)x[i], c)] = probabilities[i][c];

        var result = ClassMapClassifier.Classify(view, x, y, Enumerable.Repeat(1f, 7).ToArray(), samples, channels, 2);

        Assert.Equal([2, 3, 4, 5], Slots(result, 0, 0));                        // class 0 = peaks 1, 2
        Assert.Equal([0, 1, float.NaN, float.NaN], Slots(result, 0, 1));        // class 1 = peak 0
        Assert.Equal([8, 9, float.NaN, float.NaN], Slots(result, 1, 0));        // peak 4
        Assert.Equal([12, 13, float.NaN, float.NaN], Slots(result, 1, 1));      // peak 6
        Assert.Equal(0.91f, result.ClassProbabilities[result.Slot(0, 0, 0)]);
        Assert.Equal(0.93f, result.ClassProbabilities[result.Slot(1, 1, 0)]);
        Assert.Equal(1f, result.Values[result.Slot(0, 0, 1)]);
        Assert.True(float.IsNaN(result.Values[result.Slot(0, 1, 1)]));
    }

    [Fact]
    public void Class_maps_are_read_at_the_half_to_even_rounded_peak_and_zero_outside()
    {
        var maps = new float[1 * 4 * 4 * 2];
        var view = new MapView(maps, 1, 4, 4, 2);
        maps[view.IndexOf(0, 2, 2, 1)] = 0.7f; // (x, y) = (2.5, 1.5) rounds to column 2, row 2
        maps[view.IndexOf(0, 3, 3, 0)] = 0.6f; // (3.6, 9) rounds past the last row: zeros, as TensorFlow reads on a GPU
        maps[view.IndexOf(0, 0, 0, 0)] = 0.5f; // (-0.5, -0.5) rounds to (-0, -0): row 0, column 0

        var probabilities = ClassMapClassifier.SampleClassProbabilities(view, [2.5f, 3.6f, -0.5f], [1.5f, 9f, -0.5f], [0, 0, 0]);

        Assert.Equal([0f, 0.7f, 0f, 0f, 0.5f, 0f], probabilities);
    }

    [Fact]
    public void Classify_peaks_from_vectors_matches_crops_to_classes_per_sample()
    {
        // Sample 0: three crops, two classes; crop 2 is left over. Sample 1: two crops whose optimal assignment gives
        // crop 4 its second class: that match is dropped.
        float[] probabilities = [0.2f, 0.8f, 0.7f, 0.3f, 0.6f, 0.4f, 0.9f, 0.1f, 0.8f, 0.2f];
        int[] samples = [0, 0, 0, 1, 1];
        const int nodes = 2;
        float[] points = Enumerable.Range(0, 5 * nodes * 2).Select(i => (float)i).ToArray();
        float[] values = Enumerable.Range(0, 5 * nodes).Select(i => i / 10f).ToArray();

        var result = ClassVectorClassifier.Classify(points, values, probabilities, 2, samples, 2, nodes);

        Assert.Equal([1, 0, 3, -1], result.AssignedCrop);
        Assert.Equal([0.7f, 0.8f, 0.9f, float.NaN], result.ClassProbabilities);
        Assert.Equal([4, 5, 6, 7], result.Points.AsSpan(0, 4).ToArray());       // sample 0, class 0 = crop 1
        Assert.Equal([0, 1, 2, 3], result.Points.AsSpan(4, 4).ToArray());       // sample 0, class 1 = crop 0
        Assert.Equal([0.6f, 0.7f], result.Values.AsSpan(4, 2).ToArray());       // sample 1, class 0 = crop 3
        Assert.All(result.Points.AsSpan(12, 4).ToArray(), v => Assert.True(float.IsNaN(v)));
    }

    private static float[] Slots(ClassGroupedPeaks result, int sample, int cls) =>
        result.Points.AsSpan(result.Slot(sample, cls, 0) * 2, result.NodeCount * 2).ToArray();
}
