using SleapPS.Engine;
using SleapPS.Engine.Models;

namespace SleapPS.Tests.Models;

/// <summary>InferenceSettings checks each setting as it is made, with one message, whichever predictor will use it.</summary>
public class InferenceSettingsTests
{
    public static TheoryData<Func<InferenceSettings>, string> Refused => new()
    {
        { () => new InferenceSettings { BatchSize = 0 }, "BatchSize is 0; it must be at least 1." },
        // Negative thresholds were let through to the top-down and single-instance predictors before; none are now.
        { () => new InferenceSettings { PeakThreshold = -0.1 }, "PeakThreshold is -0.1; it must be a finite number of 0 or more." },
        { () => new InferenceSettings { PeakThreshold = double.NaN }, "PeakThreshold is NaN; it must be a finite number of 0 or more." },
        { () => new InferenceSettings { IntegralPatchSize = 4 }, "IntegralPatchSize is 4; it must be an odd number of at least 1." },
        { () => new InferenceSettings { MaxEdgeLengthRatio = 0 }, "MaxEdgeLengthRatio is 0; it must be greater than 0." },
        { () => new InferenceSettings { DistPenaltyWeight = -1 }, "DistPenaltyWeight is -1; it must be 0 or more." },
        { () => new InferenceSettings { PafLinePoints = 1 }, "PafLinePoints is 1; it must be at least 2." },
        { () => new InferenceSettings { MinLineScores = double.NaN }, "MinLineScores is NaN; it must be a finite number." },
        { () => new InferenceSettings { MaxInstances = 0 }, "MaxInstances is 0; it must be at least 1 (or unset)." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_setting_out_of_range_is_refused_as_it_is_made(Func<InferenceSettings> make, string message)
    {
        var ex = Assert.Throws<SleapException>(() => make());
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("The inference setting " + message, ex.Message);
    }

    [Fact]
    public void Thresholds_above_1_and_any_finite_line_score_are_SLEAPs_and_accepted()
    {
        var settings = new InferenceSettings { PeakThreshold = 1.5, MinLineScores = -3, MaxInstances = null };
        Assert.Equal((1.5, -3.0, (int?)null), (settings.PeakThreshold, settings.MinLineScores, settings.MaxInstances));
    }
}
