namespace SleapPS.Engine.Data;

/// <summary>
/// One node's position in an instance. Missing nodes are NaN. SLEAP also treats a point whose
/// <see cref="Visible"/> is false as absent, but keeps its coordinates.
/// <see cref="Score"/> is the confidence of a predicted point and NaN for user points.
/// </summary>
public readonly record struct Point(double X, double Y, bool Visible = true, bool Complete = false, double Score = double.NaN)
{
    /// <summary>The point SLEAP writes for a node that was not labelled or not found.</summary>
    public static Point Missing => new(double.NaN, double.NaN, Visible: true, Complete: false);

    /// <summary>The missing point of a predicted instance, whose score SLEAP writes as 0.</summary>
    public static Point MissingPredicted => new(double.NaN, double.NaN, Visible: true, Complete: false, Score: 0.0);

    /// <summary>True when the point has coordinates and is visible: what SLEAP's points_array keeps.</summary>
    public bool IsPresent => Visible && !double.IsNaN(X) && !double.IsNaN(Y);
}
