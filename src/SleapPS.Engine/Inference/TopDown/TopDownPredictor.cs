using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// SLEAP's TopDownPredictor (docs/design/inference.md §9): centroids (a centroid model, or the frames' ground-truth instances), an
/// S x S crop around each, a centered-instance model on every crop of the batch (or the nearest ground-truth instance),
/// and one instance per crop scored by its centroid's confidence-map value. Each stage follows the rules of its model's
/// family (docs/design/sleap-nn-inference.md for sleap-nn models); a sleap-nn centroid model alone gives its centroids
/// as one-point instances, as sleap-nn does (§8), instead of SLEAP's ground-truth poses.
/// </summary>
public sealed class TopDownPredictor : PosePredictor
{
    private readonly Skeleton _skeleton;
    private readonly InferenceSettings _settings;
    private readonly PipelineImages _pipeline;
    private readonly CentroidDetector? _centroids;
    private readonly InstancePeakStage? _instances;
    private readonly string? _anchorPart;
    private readonly double _precropScale;
    private readonly bool _centroidOnly;
    private readonly InferenceRules _groundTruthRules;
    private readonly CentroidList _centroidList = new();
    private readonly CropImages _cropImages = new();
    private readonly InstancePeakResults _peaks = new();
    private float[] _groundTruthPoints = [];
    private float[] _groundTruthValues = [];

    public TopDownPredictor(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        if (predictor.Kind != PredictorKind.TopDown)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A {predictor.Kind} predictor cannot run as a top-down predictor; it needs a centroid and/or a centered-instance model.");
        _settings = settings;
        _skeleton = predictor.Skeleton;

        // SLEAP's data config and "is grayscale" come from the centroid model when there is one, else from the
        // centered-instance model (docs/design/inference.md §3.2).
        var pipelineModel = predictor.Centroid ?? predictor.Instance!;
        _pipeline = new PipelineImages(InferenceRules.For(pipelineModel.Config), pipelineModel.Config.Preprocessing, pipelineModel.InputShape.Channels);
        _centroidOnly = predictor.Instance is null && predictor.Centroid is { Config.Family: ModelFamily.SleapNn };
        _groundTruthRules = InferenceRules.For((predictor.Instance ?? pipelineModel).Config);

        try
        {
            if (predictor.Centroid is { } centroid)
                _centroids = new CentroidDetector(centroid, settings, StageTimes);
            if (predictor.Instance is { } instance)
            {
                _instances = new InstancePeakStage(instance, settings, HeadKind.CenteredInstanceConfmaps, classVectors: false, StageTimes);
                _anchorPart = instance.Config.InstanceCropping.CenterOnPart;
                // HEAD: SLEAP 1.4 resizes frames by the centered-instance model's input scaling before cropping (docs/design/inference.md §9.2); with
                // ground-truth centroids the same factor is CentroidCropGroundTruth's input scale (docs/design/inference.md §9.6). sleap-nn scales
                // the crops instead (docs/design/sleap-nn-inference.md §6).
                _precropScale = _instances.Rules.PrecropScale(instance.Config.Preprocessing.InputScaling);
            }
            else
            {
                _precropScale = 1.0;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override PredictorKind Kind => PredictorKind.TopDown;

    public override bool RequiresGroundTruth => _centroids is null || (_instances is null && !_centroidOnly);

    /// <summary>Used when the centroid (or, without one, the centered-instance) model's config names no SizeMatcher target.</summary>
    public override (int Height, int Width)? ProviderMaxSize
    {
        get => _pipeline.ProviderMaxSize;
        set => _pipeline.ProviderMaxSize = value;
    }

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var maps = options.IncludeMaps ? new List<NamedMaps>?[frames.Count] : null;

        long start = Stopwatch.GetTimestamp();
        _pipeline.Prepare(frames);
        StageTimes.AddPreprocess(start);
        CentroidStage.Collect(frames, _pipeline, _centroids, _anchorPart, _centroidList, maps, _groundTruthRules);

        if (_precropScale != 1.0)
            _centroidList.Scale((float)_precropScale);
        if (_centroids is not null && _settings.MaxInstances is int maxInstances)
            _centroidList.KeepTop(maxInstances);

        cancellationToken.ThrowIfCancellationRequested();
        if (_instances is not null)
        {
            start = Stopwatch.GetTimestamp();
            _cropImages.Prepare(_pipeline, _precropScale);
            StageTimes.AddPreprocess(start);
            _instances.Predict(_cropImages.Images, _centroidList, (float)_instances.InputScale, _peaks, maps, cancellationToken);
        }

        var results = new FramePrediction[frames.Count];
        for (int f = 0; f < frames.Count; f++)
        {
            results[f] = _instances is not null ? BuildFromModel(frames[f], f, options.IncludeRaw)
                : _centroidOnly ? BuildFromCentroids(frames[f], f, options.IncludeRaw)
                : BuildFromGroundTruth(frames[f], f, options.IncludeRaw);
            results[f].Maps = maps?[f];
        }
        return results;
    }

    private FramePrediction BuildFromModel(FrameInput frame, int f, bool includeRaw)
    {
        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        int start = _centroidList.StartOf(f), count = _centroidList.CountOf(f);
        float sizeScale = _pipeline[f].Scale;
        if (sizeScale != 1f)
            for (int i = start; i < start + count; i++)
                UndoSizeMatcher(_peaks.Points(i), sizeScale);

        for (int i = start; i < start + count; i++)
        {
            var instance = PredictedInstances.Create(_skeleton, _peaks.Points(i), _peaks.Values(i), _centroidList.Value(i));
            if (instance is not null)
                prediction.Instances.Add(instance);
        }
        if (includeRaw)
            prediction.Raw = Raw(f, start, count, count, i => _peaks.Points(i), i => _peaks.Values(i));
        return prediction;
    }

    /// <summary>A sleap-nn centroid model alone (docs/design/sleap-nn-inference.md §8): one single-point instance per centroid.</summary>
    private FramePrediction BuildFromCentroids(FrameInput frame, int f, bool includeRaw)
    {
        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        int start = _centroidList.StartOf(f), count = _centroidList.CountOf(f);
        float sizeScale = _pipeline[f].Scale;
        for (int i = start; i < start + count; i++)
            prediction.Instances.Add(CentroidInstances.Create(_skeleton,
                _centroidList.X(i) / sizeScale, _centroidList.Y(i) / sizeScale, _centroidList.Value(i)));
        if (includeRaw)
        {
            var (centroids, values) = _centroidList.Copy(start, count);
            for (int i = 0; i < count; i++)
            {
                centroids[i, 0] /= sizeScale;
                centroids[i, 1] /= sizeScale;
            }
            prediction.Raw = new RawFrameOutput { Centroids = centroids, CentroidValues = values, NValid = count };
        }
        return prediction;
    }

    private FramePrediction BuildFromGroundTruth(FrameInput frame, int f, bool includeRaw)
    {
        var prediction = new FramePrediction(frame.Video, frame.FrameIndex);
        var groundTruth = GroundTruth.Require(frame, "centered-instance");
        int start = _centroidList.StartOf(f), count = _centroidList.CountOf(f);
        int nodes = _skeleton.Nodes.Count;
        var points = Growable.Ensure(ref _groundTruthPoints, Math.Max(count, 1) * nodes * 2);
        var values = Growable.Ensure(ref _groundTruthValues, Math.Max(count, 1) * nodes);
        float sizeScale = _pipeline[f].Scale;
        int matched = 0;
        for (int i = start; i < start + count; i++)
        {
            var xy = points.AsSpan(matched * nodes * 2, nodes * 2);
            if (!GroundTruth.NearestInstance(groundTruth, _centroidList.X(i), _centroidList.Y(i), _skeleton, xy))
                continue;
            if (sizeScale != 1f)
                UndoSizeMatcher(xy, sizeScale);
            var vals = values.AsSpan(matched * nodes, nodes);
            vals.Fill(1f);
            // SLEAP pairs the k-th matched instance with the k-th centroid value (ragged arrays zipped per frame).
            var instance = PredictedInstances.Create(_skeleton, xy, vals, _centroidList.Value(start + matched));
            if (instance is not null)
                prediction.Instances.Add(instance);
            matched++;
        }
        if (includeRaw)
            prediction.Raw = Raw(f, start, count, matched,
                i => points.AsSpan((i - start) * nodes * 2, nodes * 2), i => values.AsSpan((i - start) * nodes, nodes));
        return prediction;
    }

    /// <summary>docs/design/inference.md §7 step 4: predictions are divided by the SizeMatcher scale (float32, as SLEAP does).</summary>
    private static void UndoSizeMatcher(Span<float> xy, float scale)
    {
        for (int i = 0; i < xy.Length; i++)
            xy[i] /= scale;
    }

    private delegate Span<float> RowOf(int index);

    private RawFrameOutput Raw(int f, int start, int centroidCount, int instanceCount, RowOf points, RowOf values)
    {
        int nodes = _instances?.NodeCount ?? _skeleton.Nodes.Count;
        var peaks = new float[instanceCount, nodes, 2];
        var peakValues = new float[instanceCount, nodes];
        for (int i = 0; i < instanceCount; i++)
        {
            var xy = points(start + i);
            var vals = values(start + i);
            for (int node = 0; node < nodes; node++)
            {
                peaks[i, node, 0] = xy[2 * node];
                peaks[i, node, 1] = xy[2 * node + 1];
                peakValues[i, node] = vals[node];
            }
        }
        var (centroids, centroidValues) = _centroidList.Copy(start, centroidCount);
        return new RawFrameOutput
        {
            InstancePeaks = peaks,
            InstancePeakValues = peakValues,
            Centroids = centroids,
            CentroidValues = centroidValues,
            NValid = centroidCount,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _centroids?.Dispose();
            _instances?.Dispose();
        }
    }
}
