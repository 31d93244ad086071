using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Runtime;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// The backend of a sleap-nn export (docs/design/sleap-nn-exports.md §2, §3): frames go in as uint8 NCHW at their own
/// size, the graph does what sleap-nn baked into it (normalising, resizing by the input scale, the networks, peak
/// finding, crops, line scores), and each kind of export turns its fixed-size outputs into instances.
/// </summary>
/// <remarks>
/// No SizeMatcher (<see cref="PosePredictor.ProviderMaxSize"/> is ignored), no integral refinement and no confidence
/// maps (the graph returns none): sleap-nn's export runtime has neither. The peak threshold is baked into the graph; a
/// higher <see cref="InferenceSettings.PeakThreshold"/> tightens it on the host, a lower one cannot loosen it (§3.6).
/// </remarks>
public abstract class ExportPredictor : PosePredictor
{
    private readonly ExportRunner _runner;
    private readonly PredictorKind _kind;

    protected ExportPredictor(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        Model = predictor.Main is { SleapNn: not null } main ? main : throw new SleapException(SleapErrorKind.InvalidArgument,
            $"A sleap-nn export predictor needs a sleap-nn export; this is a {predictor.Kind} predictor ({predictor.ModelSummary}).");
        Metadata = Model.SleapNn!;
        Settings = settings;
        Skeleton = predictor.Skeleton;
        _kind = predictor.Kind;
        // Both compare in float32, as the graph compares its float32 values with the threshold.
        Threshold = (float)Math.Max(settings.PeakThreshold, Metadata.PeakThreshold ?? 0.0);
        _runner = new ExportRunner(Model, StageTimes);
    }

    public override PredictorKind Kind => _kind;

    public override bool RequiresGroundTruth => false;

    protected SleapModel Model { get; }

    protected SleapNnMetadata Metadata { get; }

    protected InferenceSettings Settings { get; }

    /// <summary>The skeleton of the instances (a centroid export's is its one-node 'centroid' skeleton, §3.2).</summary>
    protected Skeleton Skeleton { get; }

    /// <summary>The peak threshold in force: the larger of the run's and the one baked into the graph (§3.6).</summary>
    protected float Threshold { get; }

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var results = new FramePrediction[frames.Count];
        // One run per run of same-sized frames (the pipeline batches frames of one size).
        for (int first = 0; first < frames.Count;)
        {
            int count = 1;
            while (first + count < frames.Count && frames[first + count].Height == frames[first].Height && frames[first + count].Width == frames[first].Width)
                count++;
            var outputs = Run(frames, first, count);
            for (int i = 0; i < count; i++)
                results[first + i] = Decode(outputs, i, frames[first + i], options);
            first += count;
            cancellationToken.ThrowIfCancellationRequested();
        }
        return results;
    }

    /// <summary>Checks that frames of this size can be given to the export; the default accepts any (as sleap-nn does, §2).</summary>
    protected virtual void CheckFrameSize(int height, int width) { }

    /// <summary>The instances (and raw arrays) of sample <paramref name="sample"/> of the run.</summary>
    protected abstract FramePrediction Decode(ExportOutputs outputs, int sample, FrameInput frame, PredictionOptions options);

    private ExportOutputs Run(IReadOnlyList<FrameInput> frames, int first, int count)
    {
        var frame = frames[first];
        CheckFrameSize(frame.Height, frame.Width);
        long start = Stopwatch.GetTimestamp();
        int channels = Metadata.InputChannels, perImage = channels * frame.Height * frame.Width;
        var input = _runner.PrepareInput(count, channels, frame.Height, frame.Width);
        for (int i = 0; i < count; i++)
        {
            var f = frames[first + i];
            ExportImages.Write(f.Pixels, f.Height, f.Width, f.Channels, channels, input.Slice(i * perImage, perImage));
        }
        StageTimes.AddPreprocess(start);
        var outputs = _runner.Run();
        CheckShapes(outputs, count);
        return outputs;
    }

    /// <summary>Checks the run's output shapes against what the decoder reads; throws InvalidData naming the output otherwise.</summary>
    protected abstract void CheckShapes(ExportOutputs outputs, int batch);

    /// <summary>Throws InvalidData unless <paramref name="name"/> has exactly <paramref name="shape"/>.</summary>
    protected void RequireShape(ExportOutputs outputs, string name, params long[] shape)
    {
        var actual = outputs.Shape(name);
        if (!actual.SequenceEqual(shape))
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The sleap-nn export '{Model.OnnxPath}' returned '{name}' of shape [{string.Join(", ", actual)}]; its metadata ({Metadata.SourcePath}) implies [{string.Join(", ", shape)}]. " +
                "Export the model again with sleap-nn export, keeping its export_metadata.json.", Model.OnnxPath);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _runner.Dispose();
        base.Dispose(disposing);
    }
}
