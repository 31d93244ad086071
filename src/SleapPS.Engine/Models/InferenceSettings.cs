namespace SleapPS.Engine.Models;

/// <summary>
/// The options of SLEAP's predictors, with SLEAP's defaults (docs/design/inference.md §5 and §16). Only the
/// bottom-up predictors use the part-affinity-field options; MaxInstances applies to top-down
/// (centroid top-k) and bottom-up (post filter).
/// </summary>
public sealed class InferenceSettings
{
    /// <summary>Frames per batch.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Minimum confidence-map value for a peak.</summary>
    public double PeakThreshold { get; init; } = 0.2;

    public PeakRefinement Refinement { get; init; } = PeakRefinement.Integral;

    /// <summary>Side of the integral-regression patch, in output grid cells.</summary>
    public int IntegralPatchSize { get; init; } = 5;

    /// <summary>Bottom-up: longest connection, as a fraction of the larger image side, before it is penalised.</summary>
    public double MaxEdgeLengthRatio { get; init; } = 0.25;

    /// <summary>Bottom-up: weight of the distance penalty on connection scores.</summary>
    public double DistPenaltyWeight { get; init; } = 1.0;

    /// <summary>Bottom-up: samples along each candidate connection.</summary>
    public int PafLinePoints { get; init; } = 10;

    /// <summary>Bottom-up: minimum part-affinity score for a connection.</summary>
    public double MinLineScores { get; init; } = 0.25;

    /// <summary>Most instances kept per frame; null keeps all.</summary>
    public int? MaxInstances { get; init; }

    /// <summary>Throws InvalidArgument naming the first setting out of range.</summary>
    public void Validate()
    {
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        // Confidence maps are unnormalised (values above 1 occur) and SLEAP's own tests use 1.5: no upper bound.
        Require(PeakThreshold >= 0 && double.IsFinite(PeakThreshold), nameof(PeakThreshold), PeakThreshold, "a finite number of 0 or more");
        Require(IntegralPatchSize >= 1 && IntegralPatchSize % 2 == 1, nameof(IntegralPatchSize), IntegralPatchSize, "an odd number of at least 1");
        Require(MaxEdgeLengthRatio > 0, nameof(MaxEdgeLengthRatio), MaxEdgeLengthRatio, "greater than 0");
        Require(DistPenaltyWeight >= 0, nameof(DistPenaltyWeight), DistPenaltyWeight, "0 or more");
        Require(PafLinePoints >= 2, nameof(PafLinePoints), PafLinePoints, "at least 2");
        // Line scores include a distance penalty and SLEAP's tests use 1.1: any finite value is meaningful.
        Require(double.IsFinite(MinLineScores), nameof(MinLineScores), MinLineScores, "a finite number");
        Require(MaxInstances is null or >= 1, nameof(MaxInstances), MaxInstances, "at least 1 (or unset)");
    }

    private static void Require(bool ok, string name, object? value, string range)
    {
        if (!ok)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"The inference setting {name} is {value}; it must be {range}.");
    }
}
