using System.Globalization;
using OpenCvSharp;
using SleapPS.Engine.Data;
using CvPoint = OpenCvSharp.Point;

namespace SleapPS.Engine.Rendering;

/// <summary>
/// Draws the instances of a labelled frame onto a BGR image: skeleton edges between present points,
/// a filled circle per present point (with a white rim, <see cref="RimWidth"/> wide, for user instances), and optional text.
/// Points that are NaN or not visible are skipped, with every edge that touches them.
/// </summary>
internal sealed class InstancePainter
{
    /// <summary>OpenCV's fixed-point fraction bits: points are placed to 1/16 pixel, not rounded to whole pixels.</summary>
    private const int Shift = 4;
    private const double One = 1 << Shift;

    /// <summary>Far enough off-image to draw nothing odd, near enough that the fixed-point value fits an int.</summary>
    private const double Limit = 1 << 20;

    /// <summary>Width in pixels of the white rim around user points: wide enough to survive lossy codecs.</summary>
    public const double RimWidth = 2;

    private const HersheyFonts Font = HersheyFonts.HersheySimplex;
    private const double FontScale = 0.4;

    private static readonly Scalar TextShadow = new(0, 0, 0);

    private readonly Dictionary<Track, int> _trackIndex;
    private readonly RenderOptions _options;
    private readonly double _scale;
    private readonly Scalar _userOutline = ToScalar(RenderPalette.UserOutline);
    private readonly Dictionary<Skeleton, (int, int)[]> _edgeIndices = new(ReferenceEqualityComparer.Instance);

    public InstancePainter(Labels labels, RenderOptions options)
    {
        _trackIndex = new Dictionary<Track, int>(labels.Tracks.Count, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < labels.Tracks.Count; i++)
            _trackIndex.TryAdd(labels.Tracks[i], i);
        _options = options;
        _scale = options.Scale;
    }

    /// <summary>
    /// Where a point lands in the output image, in 1/16 pixels. Pixel centres sit on whole numbers in
    /// SLEAP's coordinates, so scaling keeps the centre of pixel 0 at the centre of output pixel 0.
    /// </summary>
    public CvPoint ToOutput(Data.Point point) =>
        new(Fixed((point.X + 0.5) * _scale - 0.5), Fixed((point.Y + 0.5) * _scale - 0.5));

    /// <summary>The colour an instance is drawn in (see <see cref="RenderPalette"/>).</summary>
    public RgbColor ColorOf(Instance instance, int positionInFrame) =>
        RenderPalette.ColorOf(instance.Track is { } track && _trackIndex.TryGetValue(track, out int index) ? index : null, positionInFrame);

    /// <summary>
    /// Draws every instance in three passes (edges, then points, then text) so that no instance's
    /// edges hide another's points.
    /// </summary>
    public void Paint(Mat image, LabeledFrame frame)
    {
        var instances = frame.Instances;
        if (_options.LineWidth > 0)
            for (int i = 0; i < instances.Count; i++)
                DrawEdges(image, instances[i], ToScalar(ColorOf(instances[i], i)));
        if (_options.MarkerSize > 0)
            for (int i = 0; i < instances.Count; i++)
                DrawPoints(image, instances[i], ToScalar(ColorOf(instances[i], i)));
        if (_options.ShowNodeNames || _options.ShowScores)
            for (int i = 0; i < instances.Count; i++)
                DrawText(image, instances[i], ToScalar(ColorOf(instances[i], i)));
    }

    private void DrawEdges(Mat image, Instance instance, Scalar color)
    {
        var points = instance.Points;
        foreach (var (source, destination) in EdgeIndicesOf(instance.Skeleton))
        {
            if (source < 0 || destination < 0 || !points[source].IsPresent || !points[destination].IsPresent) continue;
            Cv2.Line(image, ToOutput(points[source]), ToOutput(points[destination]), color, _options.LineWidth, LineTypes.AntiAlias, Shift);
        }
    }

    private void DrawPoints(Mat image, Instance instance, Scalar color)
    {
        int radius = Fixed(_options.MarkerSize);
        // A white rim marks points a person placed, as opposed to a model's predictions.
        int rimRadius = instance.IsPredicted ? 0 : Fixed(_options.MarkerSize + RimWidth);
        foreach (var point in instance.Points)
        {
            if (!point.IsPresent) continue;
            var center = ToOutput(point);
            if (rimRadius > 0)
                Cv2.Circle(image, center, rimRadius, _userOutline, -1, LineTypes.AntiAlias, Shift);
            Cv2.Circle(image, center, radius, color, -1, LineTypes.AntiAlias, Shift);
        }
    }

    private void DrawText(Mat image, Instance instance, Scalar color)
    {
        var nodes = instance.Skeleton.Nodes;
        int offset = (int)Math.Ceiling(_options.MarkerSize) + 2;
        for (int n = 0; n < instance.Points.Length; n++)
        {
            var point = instance.Points[n];
            if (!point.IsPresent) continue;
            string? text = TextFor(nodes[n].Name, point.Score);
            if (text is null) continue;
            var center = ToOutput(point);
            var origin = new CvPoint((center.X >> Shift) + offset, (center.Y >> Shift) - offset);
            // A dark outline keeps the text legible on bright and dark parts of the frame alike.
            Cv2.PutText(image, text, origin, Font, FontScale, TextShadow, 3, LineTypes.AntiAlias);
            Cv2.PutText(image, text, origin, Font, FontScale, color, 1, LineTypes.AntiAlias);
        }
    }

    private string? TextFor(string nodeName, double score)
    {
        string? scoreText = _options.ShowScores && double.IsFinite(score) ? score.ToString("0.00", CultureInfo.InvariantCulture) : null;
        if (_options.ShowNodeNames)
            return scoreText is null ? nodeName : nodeName + " " + scoreText;
        return scoreText;
    }

    /// <summary>Edge index pairs per skeleton, computed once rather than on every frame.</summary>
    private (int Source, int Destination)[] EdgeIndicesOf(Skeleton skeleton)
    {
        if (!_edgeIndices.TryGetValue(skeleton, out var indices))
            _edgeIndices[skeleton] = indices = skeleton.EdgeIndices;
        return indices;
    }

    private static int Fixed(double value) => (int)Math.Round(Math.Clamp(value, -Limit, Limit) * One);

    private static Scalar ToScalar(RgbColor color) => new(color.B, color.G, color.R);
}
