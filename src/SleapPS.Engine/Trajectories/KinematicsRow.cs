namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Where one track's node (or centroid) is on one frame and how it moves there (docs/design/trajectories.md §7).
/// Velocities and speeds are in pixels per frame, and per second in the *PerSecond properties (times the frame rate);
/// Distance is the length in pixels of the step from the previous frame (0 when the previous frame has no point),
/// CumulativeDistance the sum of the steps from the track's first frame. Time is the frame index over the frame rate.
/// </summary>
public sealed record KinematicsRow(
    string Video,
    string Track,
    string Node,
    long Frame,
    double X,
    double Y,
    double VelocityX,
    double VelocityY,
    double Speed,
    double Distance,
    double CumulativeDistance,
    double FrameRate)
{
    public double Time => Frame / FrameRate;
    public double VelocityXPerSecond => VelocityX * FrameRate;
    public double VelocityYPerSecond => VelocityY * FrameRate;
    public double SpeedPerSecond => Speed * FrameRate;
}

/// <summary>
/// One track's node (or centroid) over its whole span: the distance it travelled in pixels (the sum of its rows'
/// steps), and its mean and largest speed in pixels per frame and per second (§7).
/// </summary>
public sealed record TrackKinematics(
    string Video,
    string Track,
    string Node,
    long FirstFrame,
    long LastFrame,
    int Frames,
    double Distance,
    double MeanSpeed,
    double MaxSpeed,
    double FrameRate)
{
    /// <summary>Seconds from the first frame with a point to the last.</summary>
    public double Duration => (LastFrame - FirstFrame) / FrameRate;
    public double MeanSpeedPerSecond => MeanSpeed * FrameRate;
    public double MaxSpeedPerSecond => MaxSpeed * FrameRate;
}

/// <summary>What kinematics to compute: for which tracks, of which nodes (or their centroid), at which frame rate.</summary>
public sealed class KinematicsOptions
{
    /// <summary>The nodes; none means the centroid of all nodes.</summary>
    public IReadOnlyList<string>? Nodes { get; init; }
    public IReadOnlyList<string>? Tracks { get; init; }

    /// <summary>With <see cref="Nodes"/>: one centroid of those nodes instead of one row per node.</summary>
    public bool Centroid { get; init; }

    /// <summary>Frames per second, instead of each video's own (which must then be known).</summary>
    public double? FrameRate { get; init; }
}
