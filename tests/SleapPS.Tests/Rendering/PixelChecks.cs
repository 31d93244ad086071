using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Engine.Rendering;
using static SleapPS.Tests.Rendering.RenderedFrames;

namespace SleapPS.Tests.Rendering;

/// <summary>
/// Checks one rendered frame against what should have been drawn: the instance's colour at each point
/// and at each edge's midpoint, and the source frame wherever nothing was drawn. Places where two
/// drawings overlap (another point's disc or rim, another instance's edge) are left out; the check
/// fails unless most places could be checked. Returns the largest differences seen.
/// </summary>
internal static class PixelChecks
{
    /// <summary>Pixels closer than this to anything drawn are not "far": lossy codecs smear colour over their 8x8 and 16x16 blocks.</summary>
    private const double FarMargin = 24;

    public sealed record Worst(int Point, int Edge, int Background, int PointsChecked, int EdgesChecked, int BackgroundChecked);

    public static Worst Check(Mat rendered, Mat source, LabeledFrame frame, Func<Instance, int, RgbColor> colorOf,
        RenderOptions options, int tolerance, double scale = 1)
    {
        var points = Points(frame, scale);
        var edges = Edges(frame, scale);
        double radius = options.MarkerSize, discReach = radius + InstancePainter.RimWidth + 1.5;
        int worstPoint = 0, worstEdge = 0, worstBackground = 0, pointsChecked = 0, edgesChecked = 0, backgroundChecked = 0;

        foreach (var (instance, _, x, y) in points)
        {
            int px = (int)Math.Round(x), py = (int)Math.Round(y);
            if (!Inside(rendered, px, py)) continue;
            if (points.Count(p => Math.Sqrt(Math.Pow(p.X - px, 2) + Math.Pow(p.Y - py, 2)) < discReach) > 1) continue;
            var expected = colorOf(frame.Instances[instance], instance);
            int difference = Difference(At(rendered, px, py), expected);
            worstPoint = Math.Max(worstPoint, difference);
            Assert.True(difference <= tolerance, $"Frame {frame.FrameIndex}, instance {instance}: the point at ({x:0.0}, {y:0.0}) is {At(rendered, px, py)}, expected {expected} within {tolerance}");
            pointsChecked++;
        }

        foreach (var (instance, x1, y1, x2, y2) in edges)
        {
            // The pixel nearest the edge's line around its midpoint: its centre lies within half a pixel of the line.
            double mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
            var (px, py) = NearestPixelToLine(mx, my, x1, y1, x2, y2);
            if (!Inside(rendered, px, py)) continue;
            if (points.Any(p => Math.Sqrt(Math.Pow(p.X - px, 2) + Math.Pow(p.Y - py, 2)) < discReach)) continue;
            if (edges.Any(e => e.Instance != instance && DistanceToSegment(px, py, e.X1, e.Y1, e.X2, e.Y2) < options.LineWidth / 2.0 + 1.5)) continue;
            var expected = colorOf(frame.Instances[instance], instance);
            int difference = Difference(At(rendered, px, py), expected);
            worstEdge = Math.Max(worstEdge, difference);
            Assert.True(difference <= tolerance, $"Frame {frame.FrameIndex}, instance {instance}: the edge midpoint at ({px}, {py}) is {At(rendered, px, py)}, expected {expected} within {tolerance}");
            edgesChecked++;
        }

        int rows = rendered.Rows, cols = rendered.Cols;
        for (int y = 8; y < rows; y += 16)
            for (int x = 8; x < cols; x += 16)
            {
                if (points.Any(p => Math.Sqrt(Math.Pow(p.X - x, 2) + Math.Pow(p.Y - y, 2)) < FarMargin)) continue;
                if (edges.Any(e => DistanceToSegment(x, y, e.X1, e.Y1, e.X2, e.Y2) < FarMargin)) continue;
                int difference = Difference(At(rendered, x, y), At(source, x, y));
                worstBackground = Math.Max(worstBackground, difference);
                Assert.True(difference <= tolerance, $"Frame {frame.FrameIndex}: the pixel ({x}, {y}), far from every instance, is {At(rendered, x, y)} but the video has {At(source, x, y)}");
                backgroundChecked++;
            }

        Assert.True(pointsChecked >= points.Count / 2, $"Frame {frame.FrameIndex}: only {pointsChecked} of {points.Count} points could be checked");
        Assert.True(edgesChecked >= edges.Count / 3, $"Frame {frame.FrameIndex}: only {edgesChecked} of {edges.Count} edges could be checked");
        Assert.True(backgroundChecked > 100, $"Frame {frame.FrameIndex}: only {backgroundChecked} background pixels could be checked");
        return new Worst(worstPoint, worstEdge, worstBackground, pointsChecked, edgesChecked, backgroundChecked);
    }

    private static (int X, int Y) NearestPixelToLine(double mx, double my, double x1, double y1, double x2, double y2)
    {
        (int, int) best = ((int)Math.Round(mx), (int)Math.Round(my));
        double bestDistance = double.MaxValue;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                int px = (int)Math.Round(mx) + dx, py = (int)Math.Round(my) + dy;
                double distance = DistanceToSegment(px, py, x1, y1, x2, y2) + 0.01 * Math.Sqrt(dx * dx + dy * dy);
                if (distance < bestDistance) (best, bestDistance) = ((px, py), distance);
            }
        return best;
    }

    private static bool Inside(Mat image, int x, int y) => x >= 0 && y >= 0 && x < image.Cols && y < image.Rows;
}
