using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO;

/// <summary>
/// The rows of a .slp file's four tables (docs/design/file-formats.md §4): frames in the labels' order,
/// each frame's instances contiguously, one point row per skeleton node.
/// </summary>
internal sealed class SlpTables
{
    private SlpTables(SlpFrameRow[] frames, SlpInstanceRow[] instances, SlpPointRow[] points, SlpPredictedPointRow[] predictedPoints)
    {
        Frames = frames;
        Instances = instances;
        Points = points;
        PredictedPoints = predictedPoints;
    }

    public SlpFrameRow[] Frames { get; }
    public SlpInstanceRow[] Instances { get; }
    public SlpPointRow[] Points { get; }
    public SlpPredictedPointRow[] PredictedPoints { get; }

    /// <param name="scope">Labels whose lists already hold every video, skeleton and track the frames use.</param>
    /// <param name="path">The file being written, for error messages.</param>
    /// <param name="first">The row ids the first rows get: zero for a whole file, the rows already written when these
    /// rows continue a file (<see cref="SlpPartsMerger"/>).</param>
    public static SlpTables Build(Labels scope, string path, SlpRowIds first = default)
    {
        var videoIndex = IndexOf(scope.Videos);
        var skeletonIndex = IndexOf(scope.Skeletons);
        var trackIndex = IndexOf(scope.Tracks);

        var allInstances = scope.LabeledFrames.SelectMany(f => f.Instances).ToList();
        int userPointCount = allInstances.Where(i => !i.IsPredicted).Sum(i => i.Points.Length);
        int predictedPointCount = allInstances.Where(i => i.IsPredicted).Sum(i => i.Points.Length);

        var frames = new SlpFrameRow[scope.LabeledFrames.Count];
        var instances = new SlpInstanceRow[allInstances.Count];
        var points = new SlpPointRow[userPointCount];
        var predictedPoints = new SlpPredictedPointRow[predictedPointCount];

        // Rows of every instance, so that a user instance can point at the prediction it came from
        // wherever that prediction is in the file.
        var instanceRow = new Dictionary<Instance, long>(ReferenceEqualityComparer.Instance);
        int instanceRowIndex = 0, pointRowIndex = 0, predictedPointRowIndex = 0;

        for (int frameRowIndex = 0; frameRowIndex < frames.Length; frameRowIndex++)
        {
            var frame = scope.LabeledFrames[frameRowIndex];
            ulong frameId = first.Frame + (ulong)frameRowIndex;
            frames[frameRowIndex] = new SlpFrameRow
            {
                FrameId = frameId,
                Video = (uint)videoIndex[frame.Video],
                FrameIndex = (ulong)frame.FrameIndex,
                InstanceIdStart = first.Instance + (ulong)instanceRowIndex,
                InstanceIdEnd = first.Instance + (ulong)(instanceRowIndex + frame.Instances.Count),
            };
            foreach (var instance in frame.Instances)
            {
                int nodeCount = instance.Skeleton.Nodes.Count;
                if (instance.Points.Length != nodeCount)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Cannot write '{path}': an instance on frame {frame.FrameIndex} of '{frame.Video.Filename}' has {instance.Points.Length} points " +
                        $"but its skeleton '{instance.Skeleton.Name}' has {nodeCount} nodes. Give every instance one point per skeleton node.", path);

                long instanceId = (long)first.Instance + instanceRowIndex;
                instanceRow[instance] = instanceId;
                var row = new SlpInstanceRow
                {
                    InstanceId = instanceId,
                    FrameId = frameId,
                    Skeleton = (uint)skeletonIndex[instance.Skeleton],
                    Track = instance.Track is null ? -1 : trackIndex[instance.Track],
                    FromPredicted = -1,
                };
                if (instance is PredictedInstance predicted)
                {
                    row.InstanceType = SlpInstanceRow.PredictedType;
                    row.Score = (float)predicted.Score;
                    row.TrackingScore = (float)predicted.TrackingScore;
                    row.PointIdStart = first.PredictedPoint + (ulong)predictedPointRowIndex;
                    foreach (var point in predicted.Points)
                        predictedPoints[predictedPointRowIndex++] = new SlpPredictedPointRow
                        {
                            X = point.X, Y = point.Y, Visible = point.Visible.ToH5(), Complete = point.Complete.ToH5(), Score = point.Score,
                        };
                    row.PointIdEnd = first.PredictedPoint + (ulong)predictedPointRowIndex;
                }
                else
                {
                    row.InstanceType = SlpInstanceRow.UserType;
                    row.Score = float.NaN;
                    row.TrackingScore = float.NaN;
                    row.PointIdStart = first.Point + (ulong)pointRowIndex;
                    foreach (var point in instance.Points)
                        points[pointRowIndex++] = new SlpPointRow { X = point.X, Y = point.Y, Visible = point.Visible.ToH5(), Complete = point.Complete.ToH5() };
                    row.PointIdEnd = first.Point + (ulong)pointRowIndex;
                }
                instances[instanceRowIndex++] = row;
            }
        }

        // A prediction that is not in the labels any more is not linked, as SLEAP does.
        for (int i = 0; i < instances.Length; i++)
            if (allInstances[i].FromPredicted is { } source && instanceRow.TryGetValue(source, out long sourceRow))
                instances[i].FromPredicted = sourceRow;

        return new SlpTables(frames, instances, points, predictedPoints);
    }

    /// <summary>The ids of the rows after these: where the next rows of the same file start.</summary>
    public SlpRowIds Next(SlpRowIds first) => new(
        first.Frame + (ulong)Frames.Length, first.Instance + (ulong)Instances.Length,
        first.Point + (ulong)Points.Length, first.PredictedPoint + (ulong)PredictedPoints.Length);

    private static Dictionary<T, int> IndexOf<T>(List<T> items) where T : class
    {
        var index = new Dictionary<T, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < items.Count; i++) index.TryAdd(items[i], i);
        return index;
    }
}

/// <summary>Row ids in a .slp file's four tables: of a first row, or counts of rows.</summary>
internal readonly record struct SlpRowIds(ulong Frame, ulong Instance, ulong Point, ulong PredictedPoint);
