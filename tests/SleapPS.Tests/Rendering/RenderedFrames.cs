using OpenCvSharp;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Rendering;

namespace SleapPS.Tests.Rendering;

/// <summary>What a render wrote, decoded back with OpenCV, and the geometry of what should be on it.</summary>
internal static class RenderedFrames
{
    /// <summary>Decodes every frame of a video file (BGR) with the FFmpeg backend, as the renderer wrote it.</summary>
    public static (List<Mat> Frames, double Fps, long ReportedCount) DecodeVideo(string path)
    {
        using var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        Assert.True(capture.IsOpened(), $"OpenCV cannot open '{path}'");
        var frames = new List<Mat>();
        while (true)
        {
            var frame = new Mat();
            if (!capture.Read(frame) || frame.Empty()) { frame.Dispose(); break; }
            frames.Add(frame);
        }
        return (frames, capture.Get(VideoCaptureProperties.Fps), (long)capture.Get(VideoCaptureProperties.FrameCount));
    }

    public static Mat DecodePng(string path)
    {
        var image = Cv2.ImRead(path, ImreadModes.Color);
        Assert.False(image.Empty(), $"OpenCV cannot read '{path}'");
        return image;
    }

    /// <summary>The source frame as SLEAP reads it, as BGR.</summary>
    public static Mat SourceFrame(Video video, long frameIndex)
    {
        using var source = FrameSources.Open(video);
        var bytes = source.ReadFrame(frameIndex);
        using var decoded = Mat.FromPixelData(source.Height, source.Width, source.IsGrayscale ? MatType.CV_8UC1 : MatType.CV_8UC3, bytes);
        var bgr = new Mat();
        Cv2.CvtColor(decoded, bgr, source.IsGrayscale ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.RGB2BGR);
        return bgr;
    }

    public static RgbColor At(Mat image, int x, int y)
    {
        var bgr = image.At<Vec3b>(y, x);
        return new RgbColor(bgr.Item2, bgr.Item1, bgr.Item0);
    }

    /// <summary>The largest difference of any channel.</summary>
    public static int Difference(RgbColor a, RgbColor b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));

    /// <summary>Present points of a frame's instances in output pixels: instance position, colour, x, y.</summary>
    public static List<(int Instance, bool IsUser, double X, double Y)> Points(LabeledFrame frame, double scale = 1)
    {
        var points = new List<(int, bool, double, double)>();
        for (int i = 0; i < frame.Instances.Count; i++)
            foreach (var p in frame.Instances[i].Points.Where(p => p.IsPresent))
                points.Add((i, !frame.Instances[i].IsPredicted, (p.X + 0.5) * scale - 0.5, (p.Y + 0.5) * scale - 0.5));
        return points;
    }

    /// <summary>Drawn edges of a frame's instances in output pixels.</summary>
    public static List<(int Instance, double X1, double Y1, double X2, double Y2)> Edges(LabeledFrame frame, double scale = 1)
    {
        var edges = new List<(int, double, double, double, double)>();
        for (int i = 0; i < frame.Instances.Count; i++)
        {
            var instance = frame.Instances[i];
            foreach (var (s, d) in instance.Skeleton.EdgeIndices)
            {
                var (a, b) = (instance.Points[s], instance.Points[d]);
                if (a.IsPresent && b.IsPresent)
                    edges.Add((i, (a.X + 0.5) * scale - 0.5, (a.Y + 0.5) * scale - 0.5, (b.X + 0.5) * scale - 0.5, (b.Y + 0.5) * scale - 0.5));
            }
        }
        return edges;
    }

    public static double DistanceToSegment(double px, double py, double x1, double y1, double x2, double y2)
    {
        double dx = x2 - x1, dy = y2 - y1, lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.Clamp(((px - x1) * dx + (py - y1) * dy) / lengthSquared, 0, 1);
        return Math.Sqrt(Math.Pow(px - (x1 + t * dx), 2) + Math.Pow(py - (y1 + t * dy), 2));
    }
}
