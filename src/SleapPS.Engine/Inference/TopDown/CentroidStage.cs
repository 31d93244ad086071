using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// Stage 1 of both top-down predictors: each frame's centroids, from the centroid model (one model run per run of
/// same-sized frames, as the pipeline batches frames of one size) or, without one, from the frame's ground-truth
/// instances by the instance model's rules (docs/design/sleap-nn-inference.md §6 gives both families').
/// </summary>
internal static class CentroidStage
{
    /// <param name="groundTruthRules">The rules that place ground-truth centroids (the instance model's); used without a detector.</param>
    public static void Collect(IReadOnlyList<FrameInput> frames, PipelineImages pipeline, CentroidDetector? detector,
        string? anchorPart, CentroidList centroids, List<NamedMaps>?[]? maps, InferenceRules groundTruthRules)
    {
        centroids.Reset(frames.Count);
        if (detector is not null)
        {
            for (int first = 0; first < frames.Count;)
            {
                int count = 1;
                while (first + count < frames.Count && pipeline[first + count].SameSize(pipeline[first]))
                    count++;
                detector.Detect(pipeline, first, count, centroids, maps);
                first += count;
            }
        }
        else
        {
            for (int f = 0; f < frames.Count; f++)
                groundTruthRules.AddGroundTruthCentroids(GroundTruth.Require(frames[f], "centroid"), anchorPart, f, pipeline[f].Scale, centroids);
        }
    }
}
