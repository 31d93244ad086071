using SleapPS.Engine.Data;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO;

/// <summary>
/// The rows of a .slp file's four tables (labels-format.md section 4): frames in the labels' order,
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
    public static SlpTables Build(Labels scope, string path)
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
        int instanceId = 0, pointId = 0, predictedPointId = 0;

        for (int frameId = 0; frameId < frames.Length; frameId++)
        {
            var frame = scope.LabeledFrames[frameId];
            frames[frameId] = new SlpFrameRow
            {
                FrameId = (ulong)frameId,
                Video = (uint)videoIndex[frame.Video],
                FrameIndex = (ulong)frame.FrameIndex,
                InstanceIdStart = (ulong)instanceId,
                InstanceIdEnd = (ulong)(instanceId + frame.Instances.Count),
            };
            foreach (var instance in frame.Instances)
            {
                int nodeCount = instance.Skeleton.Nodes.Count;
                if (instance.Points.Length != nodeCount)
                    throw new SleapException(SleapErrorKind.InvalidArgument,
                        $"Cannot write '{path}': an instance on frame {frame.FrameIndex} of '{frame.Video.Filename}' has {instance.Points.Length} points " +
                        $"but its skeleton '{instance.Skeleton.Name}' has {nodeCount} nodes. Give every instance one point per skeleton node.", path);

                instanceRow[instance] = instanceId;
                var row = new SlpInstanceRow
                {
                    InstanceId = instanceId,
                    FrameId = (ulong)frameId,
                    Skeleton = (uint)skeletonIndex[instance.Skeleton],
                    Track = instance.Track is null ? -1 : trackIndex[instance.Track],
                    FromPredicted = -1,
                };
                if (instance is PredictedInstance predicted)
                {
                    row.InstanceType = SlpInstanceRow.PredictedType;
                    row.Score = (float)predicted.Score;
                    row.TrackingScore = (float)predicted.TrackingScore;
                    row.PointIdStart = (ulong)predictedPointId;
                    foreach (var point in predicted.Points)
                        predictedPoints[predictedPointId++] = new SlpPredictedPointRow
                        {
                            X = point.X, Y = point.Y, Visible = point.Visible.ToH5(), Complete = point.Complete.ToH5(), Score = point.Score,
                        };
                    row.PointIdEnd = (ulong)predictedPointId;
                }
                else
                {
                    row.InstanceType = SlpInstanceRow.UserType;
                    row.Score = float.NaN;
                    row.TrackingScore = float.NaN;
                    row.PointIdStart = (ulong)pointId;
                    foreach (var point in instance.Points)
                        points[pointId++] = new SlpPointRow { X = point.X, Y = point.Y, Visible = point.Visible.ToH5(), Complete = point.Complete.ToH5() };
                    row.PointIdEnd = (ulong)pointId;
                }
                instances[instanceId++] = row;
            }
        }

        // A prediction that is not in the labels any more is not linked, as SLEAP does.
        for (int i = 0; i < instances.Length; i++)
            if (allInstances[i].FromPredicted is { } source && instanceRow.TryGetValue(source, out long sourceRow))
                instances[i].FromPredicted = sourceRow;

        return new SlpTables(frames, instances, points, predictedPoints);
    }

    private static Dictionary<T, int> IndexOf<T>(List<T> items) where T : class
    {
        var index = new Dictionary<T, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < items.Count; i++) index.TryAdd(items[i], i);
        return index;
    }
}
