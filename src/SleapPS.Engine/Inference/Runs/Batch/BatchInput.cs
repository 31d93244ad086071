using SleapPS.Engine.Data;

namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>
/// One video of a batch: a path (a movie file or a folder of images), described when the batch reaches it, or a
/// <see cref="Data.Video"/> already described.
/// </summary>
public sealed record BatchInput(string Path, Video? Video = null)
{
    public static BatchInput Of(Video video) => new(video.ResolvedPath ?? video.Filename, video);
}
