namespace SleapPS.Engine.Models;

/// <summary>
/// The options of SLEAP's predictors, with SLEAP's defaults (docs/design/inference.md §5 and §16). Only the
/// bottom-up predictors use the part-affinity-field options; MaxInstances applies to top-down
/// (centroid top-k) and bottom-up (post filter).
/// </summary>
/// <remarks>
/// This class is the one source of the defaults and the one check of the values: each setting is checked as it is set,
/// so settings that exist are valid and nothing that takes them checks them again. The cmdlets' parameters only add
/// PowerShell's own range checks on top.
/// </remarks>
public sealed record InferenceSettings
{
    private readonly int _batchSize = 4;
    private readonly double _peakThreshold = 0.2;
    private readonly int _integralPatchSize = 5;
    private readonly double _maxEdgeLengthRatio = 0.25;
    private readonly double _distPenaltyWeight = 1.0;
    private readonly int _pafLinePoints = 10;
    private readonly double _minLineScores = 0.25;
    private readonly int? _maxInstances;

    /// <summary>Frames per batch.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = Checked(value, value >= 1, nameof(BatchSize), "at least 1");
    }

    /// <summary>Minimum confidence-map value for a peak.</summary>
    public double PeakThreshold
    {
        get => _peakThreshold;
        // Confidence maps are unnormalised (values above 1 occur) and SLEAP's own tests use 1.5: no upper bound.
        init => _peakThreshold = Checked(value, value >= 0 && double.IsFinite(value), nameof(PeakThreshold), "a finite number of 0 or more");
    }

    public PeakRefinement Refinement { get; init; } = PeakRefinement.Integral;

    /// <summary>Side of the integral-regression patch, in output grid cells.</summary>
    public int IntegralPatchSize
    {
        get => _integralPatchSize;
        init => _integralPatchSize = Checked(value, value >= 1 && value % 2 == 1, nameof(IntegralPatchSize), "an odd number of at least 1");
    }

    /// <summary>Bottom-up: longest connection, as a fraction of the larger image side, before it is penalised.</summary>
    public double MaxEdgeLengthRatio
    {
        get => _maxEdgeLengthRatio;
        init => _maxEdgeLengthRatio = Checked(value, value > 0, nameof(MaxEdgeLengthRatio), "greater than 0");
    }

    /// <summary>Bottom-up: weight of the distance penalty on connection scores.</summary>
    public double DistPenaltyWeight
    {
        get => _distPenaltyWeight;
        init => _distPenaltyWeight = Checked(value, value >= 0, nameof(DistPenaltyWeight), "0 or more");
    }

    /// <summary>Bottom-up: samples along each candidate connection.</summary>
    public int PafLinePoints
    {
        get => _pafLinePoints;
        init => _pafLinePoints = Checked(value, value >= 2, nameof(PafLinePoints), "at least 2");
    }

    /// <summary>Bottom-up: minimum part-affinity score for a connection.</summary>
    public double MinLineScores
    {
        get => _minLineScores;
        // Line scores include a distance penalty and SLEAP's tests use 1.1: any finite value is meaningful.
        init => _minLineScores = Checked(value, double.IsFinite(value), nameof(MinLineScores), "a finite number");
    }

    /// <summary>Most instances kept per frame; null keeps all.</summary>
    public int? MaxInstances
    {
        get => _maxInstances;
        init => _maxInstances = Checked(value, value is null or >= 1, nameof(MaxInstances), "at least 1 (or unset)");
    }

    /// <summary>Returns <paramref name="value"/>, or throws InvalidArgument naming the setting and its range.</summary>
    private static T Checked<T>(T value, bool ok, string name, string range) => ok
        ? value
        : throw new SleapException(SleapErrorKind.InvalidArgument, $"The inference setting {name} is {value}; it must be {range}.");
}
