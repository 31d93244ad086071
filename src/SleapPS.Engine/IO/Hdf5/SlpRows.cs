using System.Runtime.InteropServices;
using PureHDF;

namespace SleapPS.Engine.IO.Hdf5;

// The rows of SLEAP's four tables (docs/design/file-formats.md §4), byte for byte: packed (numpy's
// dtypes have no padding), fields in SLEAP's order, booleans as h5py's enum. PureHDF writes a
// struct's public fields in declaration order, named by [H5Name].

/// <summary>A row of <c>/frames</c>.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct SlpFrameRow
{
    [H5Name("frame_id")] public ulong FrameId;
    [H5Name("video")] public uint Video;
    [H5Name("frame_idx")] public ulong FrameIndex;
    [H5Name("instance_id_start")] public ulong InstanceIdStart;
    [H5Name("instance_id_end")] public ulong InstanceIdEnd;
}

/// <summary>A row of <c>/instances</c> in format 1.2 (with <c>tracking_score</c>).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct SlpInstanceRow
{
    public const byte UserType = 0;
    public const byte PredictedType = 1;

    [H5Name("instance_id")] public long InstanceId;
    [H5Name("instance_type")] public byte InstanceType;
    [H5Name("frame_id")] public ulong FrameId;
    [H5Name("skeleton")] public uint Skeleton;
    [H5Name("track")] public int Track;
    [H5Name("from_predicted")] public long FromPredicted;
    [H5Name("score")] public float Score;
    [H5Name("point_id_start")] public ulong PointIdStart;
    [H5Name("point_id_end")] public ulong PointIdEnd;
    [H5Name("tracking_score")] public float TrackingScore;
}

/// <summary>A row of <c>/points</c> (a user instance's node).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct SlpPointRow
{
    [H5Name("x")] public double X;
    [H5Name("y")] public double Y;
    [H5Name("visible")] public H5Bool Visible;
    [H5Name("complete")] public H5Bool Complete;
}

/// <summary>A row of <c>/pred_points</c> (a predicted instance's node).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct SlpPredictedPointRow
{
    [H5Name("x")] public double X;
    [H5Name("y")] public double Y;
    [H5Name("visible")] public H5Bool Visible;
    [H5Name("complete")] public H5Bool Complete;
    [H5Name("score")] public double Score;
}
