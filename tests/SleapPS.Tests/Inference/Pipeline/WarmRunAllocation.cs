using SleapPS.Engine.Inference.Pipeline;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.Pipeline;

/// <summary>
/// The steady-state allocation check both predictor families' tests make (the project's rule: no per-frame allocation
/// in hot loops). A warm pipeline runs a short and a long stretch of the same frames; the difference per frame is what
/// each further frame costs, which must stay below a few predictions' worth.
/// </summary>
internal static class WarmRunAllocation
{
    /// <summary>A frame's predictions take a few hundred bytes; a frame buffer or a map allocated per frame, tens of kilobytes.</summary>
    public const double MaxBytesPerFrame = 2048;

    /// <param name="targets">The first frames of the same video, as many as asked for.</param>
    /// <param name="frames">Frames of the long run; the short run has a third of them.</param>
    public static void AssertOnlyPredictions(PredictionPipeline pipeline, Func<int, IReadOnlyList<PredictionTarget>> targets, int frames,
        ITestOutputHelper output, string label)
    {
        pipeline.Run(targets(frames)).LongCount();

        (long Bytes, long Instances) Run(int count)
        {
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true), instances = 0;
            foreach (var prediction in pipeline.Run(targets(count)))
                instances += prediction.Instances.Count;
            return (GC.GetTotalAllocatedBytes(precise: true) - before, instances);
        }

        int shortRun = frames / 3;
        // The count covers every thread of the process, so work elsewhere (the runtime's own threads on a busy machine)
        // can only add to it: an allocation made per frame shows in every measurement, a one-off in one at most, and the
        // least of up to three is the pipeline's own figure.
        double perFrame = double.MaxValue;
        long instances = 0;
        for (int attempt = 0; attempt < 3 && perFrame >= MaxBytesPerFrame; attempt++)
        {
            var (shortBytes, _) = Run(shortRun);
            var (longBytes, found) = Run(frames);
            perFrame = Math.Min(perFrame, (double)(longBytes - shortBytes) / (frames - shortRun));
            instances = found;
            output.WriteLine($"{label}, try {attempt + 1}: {shortBytes} bytes for {shortRun} frames, {longBytes} for {frames}");
        }

        output.WriteLine($"{label}: {perFrame:0} bytes allocated a frame; {instances / (double)frames:0.0} instances a frame");
        Assert.True(instances > 0, "the run found no instances: the bound would not cover the predictions");
        Assert.True(perFrame < MaxBytesPerFrame, $"{perFrame:0} bytes allocated a frame in a warm run; at most {MaxBytesPerFrame} expected");
    }
}
