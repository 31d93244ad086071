using SleapPS.Engine.Inference.BottomUp;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.Identity;
using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Models;
using Xunit.Abstractions;
using static SleapPS.Tests.Inference.SleapNn.Deviation;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// sleap-nn's decoding of its networks' raw outputs (expected/*__raw.npz) into predictions, against the predictions it
/// made from them (expected/*__pred.json), stage by stage: docs/design/sleap-nn-inference.md §4 – §9. Points within
/// 1e-4 px here (same maps in, float32 throughout), scores within 1e-5.
/// </summary>
public class SleapNnPostprocessingTests(ITestOutputHelper output)
{
    private const double PointTolerance = 1e-4;
    private const double ScoreTolerance = 1e-5;
    private static readonly InferenceRules Rules = InferenceRules.For(ModelFamily.SleapNn);

    /// <summary>§4, §5: global peaks, integral refinement, stride and input scale 0.5 undone without a half-pixel shift.</summary>
    [Fact]
    public void SingleInstancePeaks()
    {
        var maps = SleapNnFixtures.ToNhwc(SleapNnFixtures.Raw("single_instance")["output"]);
        var expected = SleapNnFixtures.Predictions("single_instance");
        var points = expected.Flat("pred_keypoints");
        var values = expected.Flat("pred_peak_values");
        var peaks = new GridPeak[maps.Batch * maps.Channels];
        Rules.FindGlobalPeaks(maps, 0.2f, peaks);
        double worst = RefinedPeaksNear(peaks, maps, stride: 4, inputScale: 0.5, points, values);
        output.WriteLine($"largest point deviation {worst:G3} px");
    }

    /// <summary>§4: a maximum below the threshold gives no peak and the value 0 (SLEAP 1.4 keeps the value).</summary>
    [Fact]
    public void GlobalPeakBelowThresholdHasValueZero()
    {
        var maps = SleapNnFixtures.ToNhwc(SleapNnFixtures.Raw("multiclass_centered_instance")["CenteredInstanceConfmapsHead"]);
        var peaks = new GridPeak[maps.Batch * maps.Channels];
        Rules.FindGlobalPeaks(maps, 0.2f, peaks);
        Assert.All(peaks, p => Assert.Equal((false, 0f), (p.Found, p.Value)));
        Assert.All(SleapNnFixtures.Predictions("topdown_multiclass").Flat("pred_peak_values"), v => Assert.Equal(0.0, v));

        var sleap14 = new GridPeak[peaks.Length];
        InferenceRules.For(ModelFamily.Sleap).FindGlobalPeaks(maps, 0.2f, sleap14);
        Assert.All(sleap14, p => Assert.True(!p.Found && p.Value > 0));
    }

    /// <summary>§4, §5: local peaks (strictly above their 8 neighbours and the threshold), refined, stride 4.</summary>
    [Fact]
    public void CentroidPeaks()
    {
        var maps = SleapNnFixtures.ToNhwc(SleapNnFixtures.Raw("centroid")["output"]);
        var expected = SleapNnFixtures.Predictions("centroid");
        var centroids = expected.Flat("pred_centroids");
        var values = expected.Flat("pred_centroid_values");
        var peaks = new List<GridPeak>();
        PeakFinder.FindLocal(maps, 0.2f, peaks);
        Assert.Equal(values.Length, peaks.Count);
        double worst = RefinedPeaksNear(peaks, maps, stride: 4, inputScale: 1.0, centroids, values);
        output.WriteLine($"largest centroid deviation {worst:G3} px");
    }

    /// <summary>
    /// Each peak refined by integral regression (patch 5) and taken back to image pixels is within the point tolerance of
    /// sleap-nn's point (x, y pairs in <paramref name="points"/>), its value within the score tolerance; returns the
    /// largest point deviation.
    /// </summary>
    private static double RefinedPeaksNear(IReadOnlyList<GridPeak> peaks, MapView maps, int stride, double inputScale, double[] points, double[] values)
    {
        double worst = 0;
        for (int i = 0; i < peaks.Count; i++)
        {
            var (gx, gy) = Rules.Refine(peaks[i], maps, null, PeakRefinement.Integral, 5);
            worst = Math.Max(worst, Near(points[2 * i], Rules.GridToImage(gx, stride, inputScale), PointTolerance));
            worst = Math.Max(worst, Near(points[2 * i + 1], Rules.GridToImage(gy, stride, inputScale), PointTolerance));
            Near(values[i], peaks[i].Value, ScoreTolerance);
        }
        return worst;
    }

    /// <summary>§6: crop peaks plus the box's fractional corner (not the whole-pixel crop origin).</summary>
    [Fact]
    public void CenteredInstancePeaksGoBackByTheBoxCorner()
    {
        var maps = SleapNnFixtures.ToNhwc(SleapNnFixtures.Raw("centered_instance")["output"]);
        var expected = SleapNnFixtures.Predictions("topdown");
        var centroids = expected.Flat("pred_centroids");
        var cropPoints = expected.Flat("pred_crop_keypoints");
        var points = expected.Flat("pred_keypoints");
        var values = expected.Flat("pred_peak_values");
        var peaks = new GridPeak[maps.Batch * maps.Channels];
        Rules.FindGlobalPeaks(maps, 0.2f, peaks);
        double worst = 0;
        for (int i = 0; i < peaks.Length; i++)
        {
            int crop = i / maps.Channels;
            var (gx, gy) = Rules.Refine(peaks[i], maps, null, PeakRefinement.Integral, 5);
            float x = Rules.GridToImage(gx, 2, 1.0), y = Rules.GridToImage(gy, 2, 1.0);
            Near(cropPoints[2 * i], x, PointTolerance);
            Near(cropPoints[2 * i + 1], y, PointTolerance);
            worst = Math.Max(worst, Near(points[2 * i], x + Rules.CropOrigin((float)centroids[2 * crop], 96, 1f), PointTolerance));
            worst = Math.Max(worst, Near(points[2 * i + 1], y + Rules.CropOrigin((float)centroids[2 * crop + 1], 96, 1f), PointTolerance));
            Near(values[i], peaks[i].Value, ScoreTolerance);
        }
        output.WriteLine($"largest point deviation {worst:G3} px");
    }

    /// <summary>§9: each frame's crops matched to classes by their class vectors; every crop keeps its slot and gets its class's probability.</summary>
    [Fact]
    public void ClassVectorsAssignEveryCrop()
    {
        var vectors = SleapNnFixtures.Raw("multiclass_centered_instance")["ClassVectorsHead"];
        var expected = SleapNnFixtures.Predictions("topdown_multiclass");
        var probabilities = vectors.Floats;
        int crops = vectors.Shape[0], classes = vectors.Shape[1];
        var classOf = new int[crops];
        var probabilityOf = new float[crops];
        new SleapNnClassVectors().Assign(probabilities, crops, classes, classOf, probabilityOf);
        var expectedClasses = expected.Flat("pred_class_inds");
        var expectedScores = expected.Flat("instance_tracking_scores");
        for (int i = 0; i < crops; i++)
        {
            Assert.Equal((int)expectedClasses[i * 2], classOf[i]);
            Near(expectedScores[i], probabilityOf[i], 1e-12);
        }
        // Crop 0's most probable class is 1 (p = 1.0), but crop 1 takes it: SLEAP 1.4 would drop crop 0, sleap-nn keeps it.
        Assert.Equal([0, 1], classOf);
    }

    /// <summary>§4, §7: local peaks, PAF lines sampled as interp1d, per-edge matching; instance score = sum of line scores.</summary>
    [Fact]
    public void BottomUpGrouping()
    {
        var raw = SleapNnFixtures.Raw("bottomup");
        var confmaps = SleapNnFixtures.ToNhwc(raw["MultiInstanceConfmapsHead"]);
        var pafs = SleapNnFixtures.ToNhwc(raw["PartAffinityFieldsHead"]);
        var expected = SleapNnFixtures.Predictions("bottomup").Frames[0];
        var peaks = new List<GridPeak>();
        PeakFinder.FindLocal(confmaps, 0.2f, peaks);
        var x = new float[peaks.Count];
        var y = new float[peaks.Count];
        for (int i = 0; i < peaks.Count; i++)
        {
            var (gx, gy) = Rules.Refine(peaks[i], confmaps, null, PeakRefinement.Integral, 5);
            x[i] = (float)gx * 2;
            y[i] = (float)gy * 2;
        }
        var grouper = new PafGrouper(2, [(0, 1)], 4, new InferenceSettings(), Rules.PafLineSampling);
        Assert.Equal(96f * 0.25f * 4, PafLineScorer.MaxEdgeLength(0.25, 96, 96, 2, 4));
        var grouped = grouper.Group(x, y, peaks.Select(p => p.Value).ToArray(), peaks.Select(p => p.Channel).ToArray(), pafs);
        BottomUpPredictor.ToFrameCoordinates(grouped.Points, Rules, 1.0, 1f);
        Assert.Equal(expected.Length, grouped.Count);
        double worst = 0;
        for (int m = 0; m < grouped.Count; m++)
        {
            for (int n = 0; n < 2; n++)
            {
                worst = Math.Max(worst, Near(expected[m].Points[n][0], grouped.X(m, n), PointTolerance));
                worst = Math.Max(worst, Near(expected[m].Points[n][1], grouped.Y(m, n), PointTolerance));
                Near(expected[m].PointScores[n], grouped.Value(m, n), ScoreTolerance);
            }
            Near(expected[m].Score, grouped.Scores[m], ScoreTolerance);
        }
        output.WriteLine($"largest point deviation {worst:G3} px");
    }

    /// <summary>§4, §9: local peaks classified by the class maps at the rounded peak, grouped per node, input scale 0.5 undone without +0.5.</summary>
    [Fact]
    public void MultiClassBottomUpGrouping()
    {
        var raw = SleapNnFixtures.Raw("multiclass_bottomup");
        var confmaps = SleapNnFixtures.ToNhwc(raw["MultiInstanceConfmapsHead"]);
        var classMaps = SleapNnFixtures.ToNhwc(raw["ClassMapsHead"]);
        var expected = SleapNnFixtures.Predictions("multiclass_bottomup");
        var peaks = new List<GridPeak>();
        PeakFinder.FindLocal(confmaps, 0.2f, peaks);
        var x = new float[peaks.Count];
        var y = new float[peaks.Count];
        for (int i = 0; i < peaks.Count; i++)
        {
            var (gx, gy) = Rules.Refine(peaks[i], confmaps, null, PeakRefinement.Integral, 5);
            // Input pixels (× confmap stride 2), then class-map grid units (÷ class-map stride 2).
            x[i] = (float)gx * 2 / 2;
            y[i] = (float)gy * 2 / 2;
        }
        var grouped = ClassMapClassifier.Classify(classMaps, x, y, peaks.Select(p => p.Value).ToArray(), new int[peaks.Count],
            peaks.Select(p => p.Channel).ToArray(), new ClassGroupedPeaks(1, 2, 2), new ClassMapClassifier.Buffers(), Rules.ClampClassMapReads);
        for (int i = 0; i < grouped.Points.Length; i++)
            grouped.Points[i] *= 2;
        BottomUpPredictor.ToFrameCoordinates(grouped.Points, Rules, 0.5, 1f);
        var points = expected.Flat("pred_keypoints");
        var values = expected.Flat("pred_peak_values");
        double worst = 0;
        for (int i = 0; i < values.Length; i++)
        {
            worst = Math.Max(worst, Near(points[2 * i], grouped.Points[2 * i], PointTolerance));
            worst = Math.Max(worst, Near(points[2 * i + 1], grouped.Points[2 * i + 1], PointTolerance));
            Near(values[i], grouped.Values[i], ScoreTolerance);
        }
        var tracking = expected.Flat("instance_tracking_scores");
        for (int k = 0; k < 2; k++)
            Near(tracking[k], grouped.ClassProbabilities.Skip(2 * k).Take(2).Average(), ScoreTolerance);
        output.WriteLine($"largest point deviation {worst:G3} px");
    }
}
