using System.Text;
using System.Text.RegularExpressions;
using OpenCvSharp;
using SleapPS.Engine.IO;
using SleapPS.Engine.IO.Nwb;

namespace SleapPS.Fuzz;

/// <summary>
/// Fixtures the shared set lacks, made on the fly into a folder of the run's own (never stored in the repository):
/// an MJPG AVI of a moving square (OpenCV writes AVI containers without FFmpeg), and the files SleapPS's own writers
/// make from a tracked fixture (.slp, analysis .h5, NWB), which PureHDF lays out in HDF5's newer layouts (superblock 3,
/// version 2 object headers, links in the header; docs/design/reliability.md §1, §3). The writers' output must not
/// depend on the clock, so that a case is the same bytes in every run.
/// </summary>
public static class GeneratedFixtures
{
    /// <summary>The name of the generated AVI in a kind's fixture list; resolved against <see cref="FixtureRoots.Generated"/>.</summary>
    public const string Avi = "generated/square.avi";

    /// <summary>The labels files SleapPS writes, in a kind's fixture list.</summary>
    public static readonly IReadOnlyList<string> Written = ["generated/written.slp", "generated/written.analysis.h5", "generated/written.nwb"];

    /// <summary>The tracked labels the written files are made from (NWB and analysis files hold one animal per track).</summary>
    private const string WrittenFrom = "sleap/tracks/clip.2node.slp";

    private static readonly DateTimeOffset SessionStart = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the generated fixtures into <see cref="FixtureRoots.Generated"/> when they are not there yet.</summary>
    public static void Ensure(FixtureRoots roots)
    {
        Directory.CreateDirectory(roots.Generated);
        Make(roots.Resolve(Avi), WriteAvi);
        var labels = new Lazy<Engine.Data.Labels>(() => LabelsReader.Read(roots.Resolve(WrittenFrom)));
        Make(roots.Resolve(Written[0]), path => SlpWriter.Write(labels.Value, path));
        Make(roots.Resolve(Written[1]), path => AnalysisH5Writer.Write(labels.Value, path));
        Make(roots.Resolve(Written[2]), path =>
        {
            NwbWriter.Write(labels.Value, path, SessionStart);
            File.WriteAllBytes(path, FixedObjectIds(File.ReadAllBytes(path)));
        });
    }

    /// <summary>
    /// NWB names each object with a fresh random UUID; each is replaced, in place and at the same length, by a
    /// numbered one, so the file is the same bytes in every run.
    /// </summary>
    private static byte[] FixedObjectIds(byte[] bytes)
    {
        int count = 0;
        string text = Regex.Replace(Encoding.Latin1.GetString(bytes), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            _ => $"00000000-0000-4000-8000-{++count:D12}");
        return Encoding.Latin1.GetBytes(text);
    }

    /// <summary>Writes <paramref name="path"/> through a temporary file beside it (keeping its extension), unless it exists.</summary>
    private static void Make(string path, Action<string> write)
    {
        if (File.Exists(path)) return;
        string temp = Path.Combine(Path.GetDirectoryName(path)!, "tmp-" + Environment.ProcessId + "-" + Path.GetFileName(path));
        write(temp);
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteAvi(string path)
    {
        using var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(64, 48));
        if (!writer.IsOpened()) throw new InvalidOperationException($"OpenCV could not write '{path}'.");
        using var frame = new Mat(48, 64, MatType.CV_8UC3);
        for (int i = 0; i < 12; i++)
        {
            frame.SetTo(Scalar.All(30));
            Cv2.Rectangle(frame, new Rect(4 * i, 10, 12, 12), Scalar.FromRgb(250, 200, 40), -1);
            writer.Write(frame);
        }
    }
}
