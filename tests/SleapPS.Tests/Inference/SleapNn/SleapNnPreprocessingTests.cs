using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// sleap-nn's preprocessing against the exact uint8 tensors sleap-nn fed its networks (expected/*__raw.npz "input" and
/// "crops"): docs/design/sleap-nn-inference.md §1 – §3 and §6.
/// </summary>
public class SleapNnPreprocessingTests
{
    /// <summary>§2, §3: the frames resized by the input scale (antialiased, rounded to uint8) and padded, bit for bit.</summary>
    [Theory]
    [InlineData("minimal_instance_single_instance", "single_instance", 320, 560, 0.5, 4)]
    [InlineData("minimal_instance_multiclass_bottomup", "multiclass_bottomup", 384, 384, 0.5, 16)]
    [InlineData("minimal_instance_bottomup", "bottomup", 384, 384, 1.0, 8)]
    [InlineData("minimal_instance_centroid", "centroid", 384, 384, 1.0, 8)]
    public void NetworkInputIsTheTensorSleapNnFed(string model, string raw, int maxHeight, int maxWidth, double scale, int maxStride)
    {
        var frames = SleapNnFixtures.Frames(model);
        var expected = SleapNnFixtures.Raw(raw)["input"];
        int channels = expected.Shape[1], height = expected.Shape[2], width = expected.Shape[3];
        var rules = InferenceRules.For(ModelFamily.SleapNn);
        var config = new PreprocessingConfig { TargetHeight = maxHeight, TargetWidth = maxWidth, InputScaling = scale };
        byte[] buffer = [];
        for (int s = 0; s < frames.Length; s++)
        {
            var image = rules.PrepareFrame(frames[s], config, providerMaxSize: (999, 999), channels: 3 - channels, ref buffer);
            Assert.Equal(1f, image.Scale);
            Assert.Equal((height, width), rules.NetworkInputSize(image.Height, image.Width, scale, maxStride));
            var input = new float[height * width * channels];
            rules.ToNetworkInput(image.Span, image.Height, image.Width, image.Channels, channels, scale, maxStride, input, height, width);
            int differing = 0;
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        float want = (float)expected[s, c, y, x] / 255f;
                        if (input[(y * width + x) * channels + c] != want)
                            differing++;
                    }
            Assert.Equal(0, differing);
        }
    }

    /// <summary>
    /// §6: crops are whole pixels of the frame starting at trunc(c + 0.5) − S/2, with the box corner (c − S/2) + 0.5;
    /// the centroids are sleap-nn's own (topdown__pred.json), the crops and boxes those it cut.
    /// </summary>
    [Theory]
    [InlineData("topdown", "centered_instance", "crops", 96)]
    [InlineData("topdown_multiclass", "multiclass_centered_instance", "crops", 128)]
    public void CropsAreTheOnesSleapNnCut(string pipeline, string raw, string cropsKey, int size)
    {
        var frame = SleapNnFixtures.Frames("minimal_instance_centroid")[0];
        var arrays = SleapNnFixtures.Raw(raw);
        var crops = arrays[cropsKey];
        var boxes = arrays["bboxes"];
        var centroids = SleapNnFixtures.Predictions(pipeline).Flat("pred_centroids");
        var rules = InferenceRules.For(ModelFamily.SleapNn);
        var crop = new byte[size * size];
        for (int i = 0; i < crops.Shape[0]; i++)
        {
            float cx = (float)centroids[2 * i], cy = (float)centroids[2 * i + 1];
            rules.CutCrop(frame.Pixels, frame.Height, frame.Width, 1, cx, cy, size, crop);
            for (int k = 0; k < crop.Length; k++)
                Assert.Equal((byte)crops.Values[i * crop.Length + k], crop[k]);
            // Box corner: top-left (x, y) of bboxes[i].
            Assert.Equal((float)boxes[i, 0, 0], rules.CropOrigin(cx, size, 7f));
            Assert.Equal((float)boxes[i, 0, 1], rules.CropOrigin(cy, size, 7f));
        }
    }

    /// <summary>§1: the size matcher keeps the aspect ratio, rounds the fitted size and pads right and below; r is the factor.</summary>
    [Fact]
    public void SizeMatcherFitsPadsAndReportsItsFactor()
    {
        var frame = SleapNnFixtures.Frames("minimal_instance_single_instance")[0]; // 320 x 560 RGB
        var rules = InferenceRules.For(ModelFamily.SleapNn);
        byte[] buffer = [];
        var image = rules.PrepareFrame(frame, new PreprocessingConfig { TargetHeight = 400, TargetWidth = 400 }, null, null, ref buffer);
        Assert.Equal((400, 400, 3), (image.Height, image.Width, image.Channels));
        Assert.Equal((float)(400.0 / 560), image.Scale);
        // 320 · 400/560 = 228.57… → 229 rows of picture, then zeros.
        Assert.NotEqual(0, image.Span.Slice(228 * 400 * 3, 400 * 3).ToArray().Max());
        Assert.Equal(0, image.Span.Slice(229 * 400 * 3, 400 * 3).ToArray().Max());
        Assert.Equal(0, image.Span[(229 * 400 * 3)..].ToArray().Max());
    }

    /// <summary>§1, §3: ensure_grayscale truncates torchvision's luma to uint8; the network's own 3 → 1 conversion stays float.</summary>
    [Fact]
    public void ColourConversionsFollowSleapNn()
    {
        var video = new SleapPS.Engine.Data.Video("x.mp4", SleapPS.Engine.Data.VideoBackend.Media);
        var frame = new SleapPS.Engine.Inference.FrameInput(video, 0, [200, 100, 50], 1, 1, 3);
        var rules = InferenceRules.For(ModelFamily.SleapNn);
        byte[] buffer = [];
        float luma = MathF.FusedMultiplyAdd(50f, 0.114f, MathF.FusedMultiplyAdd(100f, 0.587f, 200f * 0.2989f));
        var gray = rules.PrepareFrame(frame, new PreprocessingConfig { EnsureGrayscale = true }, null, null, ref buffer);
        Assert.Equal(1, gray.Channels);
        Assert.Equal((byte)luma, gray.Span[0]);

        var input = new float[1];
        rules.ToNetworkInput(frame.Pixels, 1, 1, 3, 1, 1.0, 1, input, 1, 1);
        float expected = MathF.FusedMultiplyAdd(50 / 255f, 0.114f, MathF.FusedMultiplyAdd(100 / 255f, 0.587f, 200 / 255f * 0.2989f));
        Assert.Equal(expected, input[0]);
        Assert.NotEqual((byte)luma / 255f, input[0]);
    }
}

/// <summary>§6: ground-truth centroids by sleap-nn's rule (anchor, else the mean of the visible points), in size-matched pixels.</summary>
public class SleapNnGroundTruthCentroidTests
{
    [Fact]
    public void AnchorElseVisibleMeanScaledIntoTheSizedFrame()
    {
        var skeleton = SleapPS.Engine.Data.Skeleton.FromNames("s", ["A", "B", "C"]);
        SleapPS.Engine.Data.Point P(double x, double y) => new(x, y);
        var hidden = new SleapPS.Engine.Data.Point(50, 50, Visible: false);
        var instances = new List<SleapPS.Engine.Data.Instance>
        {
            new(skeleton, [P(10, 20), P(30, 40), P(0, 0)]),               // anchor B visible: (30, 40)
            new(skeleton, [P(10, 20), hidden, P(20, 60)]),                // anchor hidden: mean of A and C, not the box midpoint
            new(skeleton, [hidden, hidden, hidden]),                      // nothing visible: no centroid
        };
        var centroids = new SleapPS.Engine.Inference.TopDown.CentroidList();
        centroids.Reset(1);
        InferenceRules.For(ModelFamily.SleapNn).AddGroundTruthCentroids(instances, "B", 0, 0.5f, centroids);
        Assert.Equal(2, centroids.Count);
        Assert.Equal((15f, 20f, 1f), (centroids.X(0), centroids.Y(0), centroids.Value(0)));
        Assert.Equal((7.5f, 20f), (centroids.X(1), centroids.Y(1)));

        var sleap14 = new SleapPS.Engine.Inference.TopDown.CentroidList();
        sleap14.Reset(1);
        InferenceRules.For(ModelFamily.Sleap).AddGroundTruthCentroids(instances, "B", 0, 0.5f, sleap14);
        Assert.Equal((15f, 40f), (sleap14.X(1), sleap14.Y(1)));   // bounding-box midpoint, unscaled
    }
}
