using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.BottomUp;

/// <summary>
/// SLEAP's <c>BottomUpPredictor</c> (docs/design/inference.md §10): local peaks of every node, grouped into instances with part
/// affinity fields; instance score = sum of the instance's PAF line scores; optional <c>max_instances</c>.
/// </summary>
public sealed class BottomUpPredictor : PosePredictor
{
    private readonly InferenceSettings _settings;
    private readonly Skeleton _skeleton;
    private readonly BottomUpNetwork _network;
    private readonly PafGrouper _grouper;
    private readonly int _pafStride;
    private readonly int _nodeCount;

    /// <param name="predictor">A loaded bottom-up predictor (<see cref="PredictorKind.BottomUp"/>).</param>
    /// <param name="settings">PeakThreshold, Refinement, IntegralPatchSize, the PAF settings and MaxInstances are used.</param>
    public BottomUpPredictor(Models.Predictor predictor, InferenceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        if (predictor.Kind != PredictorKind.BottomUp || predictor.Main is null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"A bottom-up predictor needs a multi_instance model; this is a {predictor.Kind} predictor ({predictor.ModelSummary}).");
        _settings = settings;
        var model = predictor.Main;
        var config = model.Config;
        _skeleton = predictor.Skeleton;
        _nodeCount = config.PartNames.Count;
        _pafStride = BottomUpNetwork.RequireHead(config, HeadKind.PartAffinityFields).OutputStride;
        _network = new BottomUpNetwork(model, settings, StageTimes);
        _grouper = new PafGrouper(_nodeCount, EdgeIndices(config), _pafStride, settings, _network.Rules.PafLineSampling);
    }

    public override PredictorKind Kind => PredictorKind.BottomUp;

    public override bool RequiresGroundTruth => false;

    public override (int Height, int Width)? ProviderMaxSize
    {
        get => _network.SizeMatchTarget;
        set => _network.SizeMatchTarget = value;
    }

    /// <summary>The edges, in PAF channel order, in the order instances are assembled (edges left out are unused, docs/design/inference.md §Q6).</summary>
    public IReadOnlyList<int> EdgeVisitOrder => _grouper.EdgeVisitOrder;

    public override IReadOnlyList<FramePrediction> PredictBatch(IReadOnlyList<FrameInput> frames, PredictionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        if (frames.Count == 0)
            return [];
        cancellationToken.ThrowIfCancellationRequested();

        var outputs = _network.Run(frames);
        var confmaps = outputs.Get(HeadKind.MultiInstanceConfmaps);
        var pafs = outputs.Get(HeadKind.PartAffinityFields);
        _network.FindPeaks(outputs);

        var predictions = new FramePrediction[frames.Count];
        for (int s = 0; s < frames.Count; s++)
        {
            var peaks = _network.PeaksOf(s);
            long groupingStart = Stopwatch.GetTimestamp();
            var grouped = _grouper.Group(peaks.X, peaks.Y, peaks.Values, peaks.Channels, pafs.Sample(s));
            StageTimes.AddGrouping(groupingStart);

            ToFrameCoordinates(grouped.Points, _network.Rules, _network.InputScale, _network.SizeScales[s]);
            var prediction = new FramePrediction(frames[s].Video, frames[s].FrameIndex);
            AddInstances(prediction.Instances, grouped);
            if (options.IncludeRaw)
                prediction.Raw = RawOutput(grouped);
            if (options.IncludeMaps)
                prediction.Maps =
                [
                    NamedMaps.FromSample("confmaps", confmaps, s, _network.ConfmapsStride),
                    NamedMaps.FromSample("part_affinity_fields", pafs, s, _pafStride),
                ];
            predictions[s] = prediction;
        }
        return predictions;
    }

    /// <summary>
    /// From scaled-input pixels to frame pixels, in float32: the input scale undone by the model's rules (SLEAP 1.4:
    /// <c>p/σ + 0.5</c> when σ ≠ 1, docs/design/inference.md §Q2; sleap-nn: <c>p/σ</c>, docs/design/sleap-nn-inference.md §4), then divided
    /// by the size matcher's factor.
    /// </summary>
    internal static void ToFrameCoordinates(Span<float> points, InferenceRules rules, double inputScale, float sizeScale)
    {
        for (int i = 0; i < points.Length; i++)
            points[i] = rules.InputToImage(points[i], inputScale) / sizeScale;
    }

    private void AddInstances(List<PredictedInstance> instances, GroupedInstances grouped)
    {
        for (int m = 0; m < grouped.Count; m++)
        {
            var points = new Point[_nodeCount];
            bool any = false;
            for (int n = 0; n < _nodeCount; n++)
            {
                float x = grouped.X(m, n), y = grouped.Y(m, n);
                if (float.IsNaN(x) || float.IsNaN(y))
                {
                    points[n] = Point.MissingPredicted;
                    continue;
                }
                points[n] = new Point(x, y, Visible: true, Complete: false, Score: grouped.Value(m, n));
                any = true;
            }
            if (any)
                instances.Add(new PredictedInstance(_skeleton, points, score: grouped.Scores[m]));
        }
        if (_settings.MaxInstances is int max)
        {
            // Sorted by score, highest first, ties in grouping order (Python's sorted is stable, as is OrderBy).
            var kept = instances.OrderByDescending(i => i.Score).Take(max).ToList();
            instances.Clear();
            instances.AddRange(kept);
        }
    }

    private RawFrameOutput RawOutput(GroupedInstances grouped)
    {
        int count = grouped.Count;
        var peaks = new float[count, _nodeCount, 2];
        var values = new float[count, _nodeCount];
        for (int m = 0; m < count; m++)
            for (int n = 0; n < _nodeCount; n++)
            {
                peaks[m, n, 0] = grouped.X(m, n);
                peaks[m, n, 1] = grouped.Y(m, n);
                values[m, n] = grouped.Value(m, n);
            }
        return new RawFrameOutput
        {
            InstancePeaks = peaks,
            InstancePeakValues = values,
            InstanceScores = grouped.Scores.ToArray(),
            NValid = count,
        };
    }

    // SLEAP's PAFScorer: edge endpoints are positions in the confidence maps' part names.
    private static (int Source, int Destination)[] EdgeIndices(TrainingConfig config)
    {
        var parts = config.PartNames;
        return config.PafEdges.Select(e => (IndexOfPart(e.Source), IndexOfPart(e.Destination))).ToArray();

        int IndexOfPart(string name)
        {
            for (int i = 0; i < parts.Count; i++)
                if (parts[i] == name)
                    return i;
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The PAF edge node '{name}' is not one of the model's part names ({string.Join(", ", parts)}). Check the model's training_config.json.",
                config.SourcePath);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _network.Dispose();
        base.Dispose(disposing);
    }
}
