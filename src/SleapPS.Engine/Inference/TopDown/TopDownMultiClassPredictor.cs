using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.Identity;
using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// SLEAP's TopDownMultiClassPredictor (docs/design/inference.md §12): centroids (a centroid model, or the frames' ground-truth
/// instances), S x S crops, a multi-class top-down model giving node peaks and a class vector per crop, and crops
/// matched to identity classes; each class found becomes an instance on the track named after the class. A sleap-nn
/// model follows sleap-nn's rules (docs/design/sleap-nn-inference.md): its frames are size-matched (§1), and every crop
/// stays an instance scored by its centroid, with the class it is matched to as track (§9).
/// </summary>
public sealed class TopDownMultiClassPredictor : PosePredictor
{
    private readonly Skeleton _skeleton;
    private readonly PipelineImages _pipeline;
    private readonly CentroidDetector? _centroids;
    private readonly InstancePeakStage _instances;
    private readonly string? _anchorPart;
    private readonly double _precropScale;
    private readonly Track[] _tracks;
    private readonly CentroidList _centroidList = new();
    private readonly CropImages _cropImages = new();
    private readonly InstancePeakResults _peaks = new();
    private readonly ClassVectorClassifier.Buffers _classifierBuffers = new();
    private readonly SleapNnClassVectors? _sleapNnClasses;
    private readonly InferenceRules _groundTruthRules;
    private ClassGroupedCrops? _grouped;
    private int[] _classOf = [];
    private float[] _probabilityOf = [];

    public TopDownMultiClassPredictor(Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        if (predictor.Kind != PredictorKind.TopDownMultiClass || predictor.Instance is null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A {predictor.Kind} predictor cannot run as a multi-class top-down predictor; it needs a multi_class_topdown model.");
        var instance = predictor.Instance;
        _skeleton = predictor.Skeleton;
        // SLEAP 1.4: no SizeMatcher and no Normalizer at pipeline level (docs/design/inference.md §3.2), each model converts colour itself; sleap-nn
        // sizes frames as for plain top-down (docs/design/sleap-nn-inference.md §1).
        var pipelineConfig = (predictor.Centroid ?? instance).Config;
        var pipelineRules = InferenceRules.For(pipelineConfig);
        _pipeline = new PipelineImages(pipelineRules, pipelineRules.MultiClassTopDownSizeConfig(pipelineConfig), channels: null);
        _anchorPart = instance.Config.InstanceCropping.CenterOnPart;
        var instanceRules = InferenceRules.For(instance.Config);
        _groundTruthRules = instanceRules;
        // Only ground-truth centroids resize frames by ρ (CentroidCropGroundTruth's input scale); with a centroid model
        // the crops are cut from the unscaled frame (docs/design/inference.md §Q11). sleap-nn scales crops, not frames.
        _precropScale = predictor.Centroid is null ? instanceRules.PrecropScale(instance.Config.Preprocessing.InputScaling) : 1.0;
        if (instanceRules.Family == ModelFamily.SleapNn)
            _sleapNnClasses = new SleapNnClassVectors();
        // Tracks named by class, created once and shared by every frame. SLEAP takes a LabelsReader's own track list
        // by index instead when predicting on a labels file (docs/design/inference.md §Q12); naming them by class is what it does for videos.
        _tracks = instance.Config.ClassNames.Select(name => new Track(name, spawnedOn: 0)).ToArray();
        try
        {
            if (predictor.Centroid is { } centroid)
                _centroids = new CentroidDetector(centroid, settings, StageTimes);
            _instances = new InstancePeakStage(instance, settings, HeadKind.CenteredInstanceConfmaps, classVectors: true, StageTimes);
        }
        catch
        {
            _centroids?.Dispose();
            throw;
        }
    }

    public override PredictorKind Kind => PredictorKind.TopDownMultiClass;

    public override bool RequiresGroundTruth => _centroids is null;

    /// <summary>The identity tracks, one per class in class order; every predicted instance refers to one of these.</summary>
    public IReadOnlyList<Track> Tracks => _tracks;

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var maps = options.IncludeMaps ? new List<NamedMaps>?[frames.Count] : null;

        long prepareStart = Stopwatch.GetTimestamp();
        _pipeline.Prepare(frames);
        StageTimes.AddPreprocess(prepareStart);
        CentroidStage.Collect(frames, _pipeline, _centroids, _anchorPart, _centroidList, maps, _groundTruthRules);
        if (_precropScale != 1.0)
            _centroidList.Scale((float)_precropScale);

        cancellationToken.ThrowIfCancellationRequested();
        long cropStart = Stopwatch.GetTimestamp();
        _cropImages.Prepare(_pipeline, _precropScale);
        StageTimes.AddPreprocess(cropStart);
        // The crop offset is added without dividing by ρ here (TopDownMultiClassFindPeaks, docs/design/inference.md §12.2).
        _instances.Predict(_cropImages.Images, _centroidList, 1f, _peaks, maps, cancellationToken);
        if (_sleapNnClasses is not null)
            return PackageSleapNn(frames, options, maps);

        // The grouping's result is reused from batch to batch (read whole before the next batch); a new one only when the batch size changes.
        if (_grouped is null || _grouped.SampleCount != frames.Count)
            _grouped = new ClassGroupedCrops(frames.Count, _instances.ClassCount, _instances.NodeCount);
        var grouped = ClassVectorClassifier.Classify(_peaks.AllPoints, _peaks.AllValues, _peaks.AllClassProbabilities, _centroidList.Frames,
            _grouped, _classifierBuffers);

        // SLEAP zips the class rows with the frame's centroid values padded (NaN) to the batch's largest crop count, so
        // classes beyond that count are dropped and class i is scored with the i-th crop's centroid value (docs/design/inference.md §Q8).
        int slots = Math.Min(_instances.ClassCount, _centroidList.MaxPerFrame);
        int classes = _instances.ClassCount, nodes = _instances.NodeCount;
        var results = new FramePrediction[frames.Count];
        for (int f = 0; f < frames.Count; f++)
        {
            var prediction = new FramePrediction(frames[f].Video, frames[f].FrameIndex);
            int start = _centroidList.StartOf(f), count = _centroidList.CountOf(f);
            for (int k = 0; k < slots; k++)
            {
                int slot = f * classes + k;
                var xy = grouped.Points.AsSpan(slot * nodes * 2, nodes * 2);
                float score = k < count ? _centroidList.Value(start + k) : float.NaN;
                var instance = PredictedInstances.Create(_skeleton, xy, grouped.Values.AsSpan(slot * nodes, nodes), score,
                    _tracks.Length > k ? _tracks[k] : null, grouped.ClassProbabilities[slot]);
                if (instance is not null)
                    prediction.Instances.Add(instance);
            }
            if (options.IncludeRaw)
                prediction.Raw = Raw(grouped, f, start, count);
            prediction.Maps = maps?[f];
            results[f] = prediction;
        }
        return results;
    }

    /// <summary>
    /// sleap-nn's packaging (docs/design/sleap-nn-inference.md §9): per frame, the crops are matched to classes; each crop
    /// with a found point is an instance, in centroid order, scored by its centroid's value, on its class's track.
    /// </summary>
    private FramePrediction[] PackageSleapNn(IReadOnlyList<FrameInput> frames, PredictionOptions options, List<NamedMaps>?[]? maps)
    {
        int classes = _instances.ClassCount, nodes = _instances.NodeCount;
        var classOf = Growable.Ensure(ref _classOf, _centroidList.Count);
        var probabilityOf = Growable.Ensure(ref _probabilityOf, _centroidList.Count);
        var results = new FramePrediction[frames.Count];
        for (int f = 0; f < frames.Count; f++)
        {
            var prediction = new FramePrediction(frames[f].Video, frames[f].FrameIndex);
            int start = _centroidList.StartOf(f), count = _centroidList.CountOf(f);
            _sleapNnClasses!.Assign(_peaks.AllClassProbabilities.Slice(start * classes, count * classes), count, classes,
                classOf.AsSpan(start, count), probabilityOf.AsSpan(start, count));
            float sizeScale = _pipeline[f].Scale;
            for (int i = start; i < start + count; i++)
            {
                var xy = _peaks.Points(i);
                if (sizeScale != 1f)
                    for (int k = 0; k < xy.Length; k++)
                        xy[k] /= sizeScale;
                int cls = classOf[i];
                var instance = PredictedInstances.Create(_skeleton, xy, _peaks.Values(i), _centroidList.Value(i),
                    cls >= 0 && cls < _tracks.Length ? _tracks[cls] : null, probabilityOf[i]);
                if (instance is not null)
                    prediction.Instances.Add(instance);
            }
            if (options.IncludeRaw)
                prediction.Raw = RawSleapNn(start, count, classOf, probabilityOf);
            prediction.Maps = maps?[f];
            results[f] = prediction;
        }
        return results;
    }

    private RawFrameOutput RawSleapNn(int start, int count, int[] classOf, float[] probabilityOf)
    {
        int nodes = _instances.NodeCount;
        var peaks = new float[count, nodes, 2];
        var values = new float[count, nodes];
        var scores = new float[count];
        for (int i = 0; i < count; i++)
        {
            var xy = _peaks.Points(start + i);
            var vals = _peaks.Values(start + i);
            for (int n = 0; n < nodes; n++)
            {
                peaks[i, n, 0] = xy[2 * n];
                peaks[i, n, 1] = xy[2 * n + 1];
                values[i, n] = vals[n];
            }
            scores[i] = probabilityOf[start + i];
        }
        var (centroids, centroidValues) = _centroidList.Copy(start, count);
        return new RawFrameOutput
        {
            InstancePeaks = peaks,
            InstancePeakValues = values,
            InstanceScores = scores,
            Centroids = centroids,
            CentroidValues = centroidValues,
            NValid = count,
        };
    }

    private RawFrameOutput Raw(ClassGroupedCrops grouped, int f, int start, int count)
    {
        int classes = grouped.ClassCount, nodes = grouped.NodeCount;
        var peaks = new float[classes, nodes, 2];
        var values = new float[classes, nodes];
        var scores = new float[classes];
        for (int k = 0; k < classes; k++)
        {
            int slot = f * classes + k;
            for (int n = 0; n < nodes; n++)
            {
                peaks[k, n, 0] = grouped.Points[(slot * nodes + n) * 2];
                peaks[k, n, 1] = grouped.Points[(slot * nodes + n) * 2 + 1];
                values[k, n] = grouped.Values[slot * nodes + n];
            }
            scores[k] = grouped.ClassProbabilities[slot];
        }
        var (centroids, centroidValues) = _centroidList.Copy(start, count);
        return new RawFrameOutput
        {
            InstancePeaks = peaks,
            InstancePeakValues = values,
            InstanceScores = scores,
            Centroids = centroids,
            CentroidValues = centroidValues,
            NValid = count,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _centroids?.Dispose();
            _instances.Dispose();
        }
    }
}
