using System.Text.Json.Nodes;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.Evaluation;

/// <summary>
/// SLEAP's test for "the prediction file's video is the ground truth's video" (docs/design/evaluation.md §1): same backend,
/// and the backend's own <c>matches()</c> fields agree.
/// </summary>
public static class VideoMatching
{
    public static bool SameVideo(Video groundTruth, Video predicted)
    {
        if (groundTruth.Backend != predicted.Backend) return false;
        return groundTruth.Backend switch
        {
            VideoBackend.Media => SameFilename(groundTruth, predicted)
                                  && Agree(groundTruth.Grayscale, predicted.Grayscale)
                                  && FieldsAgree(groundTruth, predicted, "bgr"),
            VideoBackend.Hdf5 => SameFilename(groundTruth, predicted)
                                 && (groundTruth.Dataset ?? "") == (predicted.Dataset ?? "")
                                 && FieldsAgree(groundTruth, predicted, "convert_range", "input_format"),
            VideoBackend.ImageSequence => groundTruth.ImageFilenames.SequenceEqual(predicted.ImageFilenames, StringComparer.Ordinal)
                                          || SameResolvedImages(groundTruth, predicted),
            VideoBackend.ImgStore => SameFilename(groundTruth, predicted) && FieldsAgree(groundTruth, predicted, "index_by_original"),
            // SLEAP compares a NumPy video's whole array and gives a dummy video no matches() at all; the filename is
            // the one thing both files carry.
            _ => SameFilename(groundTruth, predicted),
        };
    }

    /// <summary>
    /// The stored filenames are equal, or both were found at the same place on this machine (SLEAP replaces a moved
    /// video's filename with where it found it when it loads a file, so two files that stored different paths to the
    /// same video match there too).
    /// </summary>
    private static bool SameFilename(Video a, Video b) =>
        string.Equals(a.Filename, b.Filename, StringComparison.Ordinal)
        || (a.ResolvedPath is not null && b.ResolvedPath is not null
            && string.Equals(Path.GetFullPath(a.ResolvedPath), Path.GetFullPath(b.ResolvedPath), StringComparison.Ordinal));

    private static bool SameResolvedImages(Video a, Video b) =>
        a.ResolvedImageFilenames.Count > 0 && a.ResolvedImageFilenames.SequenceEqual(b.ResolvedImageFilenames, StringComparer.Ordinal);

    /// <summary>An unknown value (the file did not say; SLEAP would detect it from the same video) agrees with anything.</summary>
    private static bool Agree(bool? a, bool? b) => a is null || b is null || a == b;

    private static bool FieldsAgree(Video a, Video b, params string[] keys)
    {
        foreach (string key in keys)
        {
            JsonNode? left = a.BackendMetadata?[key], right = b.BackendMetadata?[key];
            if (left is not null && right is not null && !JsonNode.DeepEquals(left, right)) return false;
        }
        return true;
    }
}
