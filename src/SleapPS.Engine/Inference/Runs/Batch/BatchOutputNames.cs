namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>
/// The output file of each video in a batch, named as sleap-track names them in an output folder
/// (docs/design/batch-runs.md §1): the video's name with its extension replaced by <c>.predictions.slp</c>.
/// </summary>
public static class BatchOutputNames
{
    public const string Suffix = ".predictions.slp";

    /// <summary>"session1.mp4" gives "session1.predictions.slp"; a folder of images "day3" gives "day3.predictions.slp".</summary>
    public static string For(string videoPath)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(videoPath)));
        string stem = Directory.Exists(videoPath) ? name : Path.GetFileNameWithoutExtension(name);
        return stem + Suffix;
    }
}
