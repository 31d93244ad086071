using OpenCvSharp;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Tracking;

/// <summary>
/// SLEAP's <c>flow_shift_instances</c>: moves instances from a reference frame to a new frame with
/// OpenCV's pyramidal Lucas-Kanade optical flow.
/// </summary>
internal sealed class OpticalFlow(double imageScale, int windowSize, int maxLevels, int minShiftedPoints)
{
    private static readonly TermCriteria Criteria = new(CriteriaTypes.Eps | CriteriaTypes.Count, 30, 0.01);

    /// <summary>
    /// The image the flow works on: grayscale (SLEAP applies <c>COLOR_BGR2GRAY</c> to its RGB arrays,
    /// so red and blue weights are swapped) and resized by the image scale.
    /// </summary>
    public Mat Prepare(FrameImage image)
    {
        image.Validate();
        using var raw = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC(image.Channels), image.Pixels);
        var gray = new Mat();
        if (image.Channels == 3) Cv2.CvtColor(raw, gray, ColorConversionCodes.BGR2GRAY);
        else raw.CopyTo(gray);
        if (imageScale == 1.0) return gray;
        var scaled = new Mat();
        Cv2.Resize(gray, scaled, new Size(0, 0), imageScale, imageScale);
        gray.Dispose();
        return scaled;
    }

    /// <summary>
    /// The reference poses moved to the new image. A pose yields a shifted candidate (with the
    /// reference's track) when more than <c>min_points</c> of its points were found; points not
    /// found are NaN. Coordinates go through float32 as in SLEAP.
    /// </summary>
    public List<Pose> Shift(IReadOnlyList<Pose> references, Mat referenceImage, Mat newImage)
    {
        var shifted = new List<Pose>(references.Count);
        int total = references.Sum(p => p.NodeCount);
        if (total == 0) return shifted;
        var points = new Point2f[total];
        int k = 0;
        float scale = (float)imageScale;
        foreach (var pose in references)
            for (int n = 0; n < pose.NodeCount; n++)
                points[k++] = new Point2f((float)pose.Xs[n] * scale, (float)pose.Ys[n] * scale);

        Point2f[] next = [];
        Cv2.CalcOpticalFlowPyrLK(referenceImage, newImage, points, ref next, out byte[] status, out _,
            new Size(windowSize, windowSize), maxLevels, Criteria);

        k = 0;
        foreach (var pose in references)
        {
            int found = 0;
            var xs = new double[pose.NodeCount];
            var ys = new double[pose.NodeCount];
            for (int n = 0; n < pose.NodeCount; n++, k++)
            {
                if (status[k] != 0)
                {
                    found++;
                    xs[n] = next[k].X / scale;
                    ys[n] = next[k].Y / scale;
                }
                else
                {
                    xs[n] = ys[n] = double.NaN;
                }
            }
            if (found > minShiftedPoints) shifted.Add(new Pose(xs, ys, null, pose.Track, null));
        }
        return shifted;
    }
}
