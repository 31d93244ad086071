using OpenCvSharp;

namespace SleapPS.Fuzz;

/// <summary>
/// Fixtures the shared set lacks, made on the fly into a folder of the run's own (never stored in the repository):
/// an MJPG AVI of a moving square (OpenCV writes AVI containers without FFmpeg).
/// </summary>
public static class GeneratedFixtures
{
    /// <summary>The name of the generated AVI in a kind's fixture list; resolved against <see cref="Folder"/>.</summary>
    public const string Avi = "generated/square.avi";

    private const string AviFile = "square.avi";

    /// <summary>Writes the generated fixtures into <paramref name="root"/> when they are not there yet.</summary>
    public static void Ensure(string root)
    {
        string avi = Path.Combine(root, AviFile);
        if (File.Exists(avi)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(avi)!);
        string temp = avi + ".tmp.avi";
        using (var writer = new VideoWriter(temp, FourCC.MJPG, 10, new Size(64, 48)))
        {
            if (!writer.IsOpened()) throw new InvalidOperationException($"OpenCV could not write '{temp}'.");
            using var frame = new Mat(48, 64, MatType.CV_8UC3);
            for (int i = 0; i < 12; i++)
            {
                frame.SetTo(Scalar.All(30));
                Cv2.Rectangle(frame, new Rect(4 * i, 10, 12, 12), Scalar.FromRgb(250, 200, 40), -1);
                writer.Write(frame);
            }
        }
        File.Move(temp, avi, overwrite: true);
    }
}
