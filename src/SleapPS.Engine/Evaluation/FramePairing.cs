using SleapPS.Engine.Data;

namespace SleapPS.Engine.Evaluation;

/// <summary>A ground-truth labelled frame and the prediction frame of the same video and frame index.</summary>
public sealed record FramePair(LabeledFrame GroundTruth, LabeledFrame Predicted);

/// <summary>SLEAP's <c>find_frame_pairs</c> (docs/design/evaluation.md §1, step 1).</summary>
public static class FramePairing
{
    /// <summary>
    /// For each ground-truth video, the first prediction video that is the same video; then for each ground-truth
    /// frame of it (only frames with user instances when <paramref name="userLabelsOnly"/>), the prediction frame
    /// with the same frame index. Frames without one are skipped.
    /// </summary>
    /// <exception cref="SleapException">The predictions hold two labelled frames for one video frame.</exception>
    public static List<FramePair> Find(Labels groundTruth, Labels predicted, bool userLabelsOnly = true)
    {
        var pairs = new List<FramePair>();
        var predictedVideos = VideosOf(predicted);
        foreach (var videoGt in VideosOf(groundTruth))
        {
            var videoPr = predictedVideos.Find(v => VideoMatching.SameVideo(videoGt, v));
            if (videoPr is null) continue;

            var predictedFrames = FramesByIndex(predicted, videoPr);
            foreach (var frameGt in groundTruth.LabeledFrames)
            {
                if (!ReferenceEquals(frameGt.Video, videoGt)) continue;
                if (userLabelsOnly && !frameGt.UserInstances.Any()) continue;
                if (!predictedFrames.TryGetValue(frameGt.FrameIndex, out var framesPr)) continue;
                if (framesPr.Count > 1)
                    throw new SleapException(SleapErrorKind.InvalidData,
                        $"The predictions{From(predicted)} hold {framesPr.Count} labelled frames for frame {frameGt.FrameIndex} of '{videoPr.Filename}', " +
                        "so it is not clear which one to compare with the ground truth. Keep one labelled frame per video frame (merge their instances).",
                        predicted.SourcePath);
                pairs.Add(new FramePair(frameGt, framesPr[0]));
            }
        }
        return pairs;
    }

    /// <summary>The labels' videos, in order, then any video a frame uses that the list lacks (labels built in memory).</summary>
    private static List<Video> VideosOf(Labels labels) =>
        labels.Videos.Concat(labels.LabeledFrames.Select(f => f.Video)).Distinct().ToList();

    private static Dictionary<long, List<LabeledFrame>> FramesByIndex(Labels labels, Video video)
    {
        var byIndex = new Dictionary<long, List<LabeledFrame>>();
        foreach (var frame in labels.LabeledFrames)
        {
            if (!ReferenceEquals(frame.Video, video)) continue;
            if (!byIndex.TryGetValue(frame.FrameIndex, out var frames)) byIndex[frame.FrameIndex] = frames = new List<LabeledFrame>(1);
            frames.Add(frame);
        }
        return byIndex;
    }

    private static string From(Labels labels) => labels.SourcePath is null ? "" : $" of '{labels.SourcePath}'";
}
