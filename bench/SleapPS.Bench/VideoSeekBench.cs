using System.Diagnostics;
using OpenCvSharp;
using SleapPS.Engine.Frames;

/// <summary>
/// Reading frames of an evenly spaced video against a variable-frame-rate one (docs/design/reliability.md §5): the same
/// 640x480 H.264 content, 3,000 frames at 30 frames/s, the second with a frame dropped every 100 (its timestamps jump).
/// The even file seeks with OpenCV's frame seek; the uneven one checks each seek against the frame times learnt while
/// decoding, so its first far seek decodes forward from the start. Needs the ffmpeg command-line tool to make them.
/// </summary>
internal static class VideoSeekBench
{
    private const int Frames = 3_000;

    public static void Run()
    {
        Console.WriteLine();
        Console.WriteLine($"Frame access, evenly spaced against variable frame rate (640x480 H.264, {Frames} frames, made by ffmpeg)");
        string folder = Directory.CreateTempSubdirectory("sleapps-bench-vfr").FullName;
        try
        {
            foreach (var (name, times) in new[] { ("even (OpenCV's seek)", "N/30"), ("a frame dropped every 100 (checked seek)", "(N+floor(N/100))/30") })
            {
                string path = Path.Combine(folder, $"{times.Length}.mp4");
                Ffmpeg("-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    $"testsrc2=s=640x480:r=30:d={Frames / 30},settb=1/30000,setpts='({times})/TB'",
                    "-c:v", "libx264", "-g", "60", "-pix_fmt", "yuv420p", "-fps_mode", "vfr", path);
                Measure(name, path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(string name, string path)
    {
        byte[] buffer;
        var watch = Stopwatch.StartNew();
        using (var source = new MediaFrameSource(path))
        {
            buffer = new byte[source.FrameByteCount];
            for (long i = 0; i < source.FrameCount; i++) source.ReadFrame(i, buffer);
        }
        double sequential = Frames / watch.Elapsed.TotalSeconds;

        // The decoder alone, in order: what the file costs whatever SleapPS does around it.
        watch.Restart();
        using (var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG))
        using (var image = new Mat())
            while (capture.Read(image) && !image.Empty()) { }
        double decoder = Frames / watch.Elapsed.TotalSeconds;

        // A fresh source (nothing learnt): the first read is far into the file, then 49 more at random.
        var random = new Random(15);
        watch.Restart();
        double first;
        using (var source = new MediaFrameSource(path))
        {
            source.ReadFrame(Frames - 10, buffer);
            first = watch.Elapsed.TotalMilliseconds;
            for (int i = 0; i < 49; i++) source.ReadFrame(random.NextInt64(Frames), buffer);
        }
        double rest = (watch.Elapsed.TotalMilliseconds - first) / 49;
        Console.WriteLine($"  {name}: in order {sequential:0} frames/s (OpenCV alone {decoder:0}); " +
                          $"fresh source: frame {Frames - 10} in {first:0} ms, then random frames {rest:0.0} ms each");
    }

    private static void Ffmpeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg");
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed ({process.ExitCode}): {string.Join(' ', arguments)}");
    }
}
