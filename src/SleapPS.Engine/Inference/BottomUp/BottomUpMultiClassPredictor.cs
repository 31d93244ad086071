using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Inference.Identity;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// SLEAP's <c>BottomUpMultiClassPredictor</c> (docs/design/inference.md §11): local peaks of every node, each given the identity
/// class whose class map is highest at it (<see cref="ClassMapClassifier"/>); one instance per class with any point,
/// on that class's track. Score = mean peak value, tracking score = mean class probability (NaN nodes left out).
/// </summary>
public sealed class BottomUpMultiClassPredictor : PosePredictor
{
    private readonly Skeleton _skeleton;
    private readonly BottomUpNetwork _network;
    private readonly int _classMapsStride;
    private readonly int _nodeCount;
    private readonly IReadOnlyList<Track> _classTracks;
    // Reused from frame to frame (each frame's result is read before the next is classified): no allocation once warm.
    private readonly ClassMapClassifier.Buffers _classifierBuffers = new();
    private ClassGroupedPeaks? _grouped;
    private float[] _gridX = [], _gridY = [];
    private int[] _sampleZero = [];

    /// <param name="predictor">A loaded bottom-up multi-class predictor (<see cref="PredictorKind.BottomUpMultiClass"/>).</param>
    /// <param name="settings">PeakThreshold, Refinement and IntegralPatchSize are used.</param>
    public BottomUpMultiClassPredictor(Models.Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        if (predictor.Kind != PredictorKind.BottomUpMultiClass || predictor.Main is null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A bottom-up multi-class predictor needs a multi_class_bottomup model; this is a {predictor.Kind} predictor ({predictor.ModelSummary}).");
        var config = predictor.Main.Config;
        _skeleton = predictor.Skeleton;
        _nodeCount = config.PartNames.Count;
        _classMapsStride = BottomUpNetwork.RequireHead(config, HeadKind.ClassMaps).OutputStride;
        // SLEAP makes Track(name=class, spawned_on=0) once per predictor, so every frame shares them.
        _classTracks = config.ClassNames.Select(name => new Track(name, 0)).ToArray();
        _network = new BottomUpNetwork(predictor.Main, settings, StageTimes);
    }

    public override PredictorKind Kind => PredictorKind.BottomUpMultiClass;

    public override bool RequiresGroundTruth => false;

    public override (int Height, int Width)? ProviderMaxSize
    {
        get => _network.SizeMatchTarget;
        set => _network.SizeMatchTarget = value;
    }

    /// <summary>
    /// The track of each class, by class index. Defaults to one track per class name of the model. SLEAP uses instead
    /// the tracks it is given, or those of the labels file it predicts on, by index (docs/design/inference.md §Q12): set them here to do
    /// the same. A class beyond the list gets no track.
    /// </summary>
    public IReadOnlyList<Track> Tracks { get; set; } = [];

    /// <summary>The tracks made from the model's class names (the default of <see cref="Tracks"/>).</summary>
    public IReadOnlyList<Track> ClassTracks => _classTracks;

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        if (frames.Count == 0)
            return [];
        cancellationToken.ThrowIfCancellationRequested();

        var outputs = _network.Run(frames);
        var confmaps = outputs.Get(HeadKind.MultiInstanceConfmaps);
        var classMaps = outputs.Get(HeadKind.ClassMaps);
        _network.FindPeaks(outputs);
        var tracks = Tracks.Count > 0 ? Tracks : _classTracks;

        var predictions = new FramePrediction[frames.Count];
        for (int s = 0; s < frames.Count; s++)
        {
            long groupingStart = Stopwatch.GetTimestamp();
            var grouped = Classify(classMaps.Sample(s), s);
            StageTimes.AddGrouping(groupingStart);
            int classes = grouped.ClassCount;
            BottomUpPredictor.ToFrameCoordinates(grouped.Points, _network.Rules, _network.InputScale, _network.SizeScales[s]);

            var prediction = new FramePrediction(frames[s].Video, frames[s].FrameIndex);
            for (int k = 0; k < classes; k++)
                if (MakeInstance(grouped, k, k < tracks.Count ? tracks[k] : null) is { } instance)
                    prediction.Instances.Add(instance);
            if (options.IncludeRaw)
                prediction.Raw = RawOutput(grouped);
            if (options.IncludeMaps)
                prediction.Maps =
                [
                    NamedMaps.FromSample("confmaps", confmaps, s, _network.ConfmapsStride),
                    NamedMaps.FromSample("class_maps", classMaps, s, _classMapsStride),
                ];
            predictions[s] = prediction;
        }
        return predictions;
    }

    // One frame: peaks into class-map grid units (float32, as SLEAP), grouped by class, scaled back by the class-map stride.
    private ClassGroupedPeaks Classify(Core.MapView classMaps, int sample)
    {
        var peaks = _network.PeaksOf(sample);
        int count = peaks.Count;
        float stride = _classMapsStride;
        var x = Growable.Ensure(ref _gridX, count).AsSpan(0, count);
        var y = Growable.Ensure(ref _gridY, count).AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            x[i] = peaks.X[i] / stride;
            y[i] = peaks.Y[i] / stride;
        }
        // Every peak is of sample 0 of the one-frame class maps.
        var sampleZero = Growable.Ensure(ref _sampleZero, count).AsSpan(0, count);
        sampleZero.Clear();
        _grouped ??= new ClassGroupedPeaks(classMaps.Batch, classMaps.Channels, _nodeCount);
        var grouped = ClassMapClassifier.Classify(classMaps, x, y, peaks.Values, sampleZero, peaks.Channels, _grouped, _classifierBuffers,
            _network.Rules.ClampClassMapReads);
        for (int i = 0; i < grouped.Points.Length; i++)
            grouped.Points[i] *= stride;
        return grouped;
    }

    private PredictedInstance? MakeInstance(ClassGroupedPeaks grouped, int cls, Track? track)
    {
        var points = new Point[_nodeCount];
        bool any = false;
        float valueSum = 0f, probabilitySum = 0f;
        int valueCount = 0, probabilityCount = 0;
        for (int n = 0; n < _nodeCount; n++)
        {
            int slot = grouped.Slot(0, cls, n);
            float x = grouped.Points[2 * slot], y = grouped.Points[2 * slot + 1], value = grouped.Values[slot];
            if (float.IsNaN(x) && float.IsNaN(y))
            {
                points[n] = Point.MissingPredicted;
            }
            else
            {
                points[n] = new Point(x, y, Visible: true, Complete: false, Score: value);
                any = true;
            }
            if (!float.IsNaN(value)) { valueSum += value; valueCount++; }
            float probability = grouped.ClassProbabilities[slot];
            if (!float.IsNaN(probability)) { probabilitySum += probability; probabilityCount++; }
        }
        if (!any)
            return null;
        return new PredictedInstance(_skeleton, points, score: NanMean(valueSum, valueCount), track: track,
            trackingScore: NanMean(probabilitySum, probabilityCount));
    }

    // np.nanmean of float32 values: a float32 sum divided by the count, rounded back to float32 (NaN when all are NaN).
    private static float NanMean(float sum, int count) => count == 0 ? float.NaN : (float)(sum / (double)count);

    private RawFrameOutput RawOutput(ClassGroupedPeaks grouped)
    {
        int classes = grouped.ClassCount;
        var peaks = new float[classes, _nodeCount, 2];
        var values = new float[classes, _nodeCount];
        var probabilities = new float[classes, _nodeCount];
        for (int k = 0; k < classes; k++)
            for (int n = 0; n < _nodeCount; n++)
            {
                int slot = grouped.Slot(0, k, n);
                peaks[k, n, 0] = grouped.Points[2 * slot];
                peaks[k, n, 1] = grouped.Points[2 * slot + 1];
                values[k, n] = grouped.Values[slot];
                probabilities[k, n] = grouped.ClassProbabilities[slot];
            }
        return new RawFrameOutput
        {
            InstancePeaks = peaks,
            InstancePeakValues = values,
            InstanceClassScores = probabilities,
            NValid = classes,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _network.Dispose();
        base.Dispose(disposing);
    }
}
