using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Inference.Filtering;
using SleapPS.Engine.Models;

namespace SleapPS.Cmdlets;

/// <summary>
/// The inference-setting parameters that Import-SleapModel and Invoke-SleapPredict both take, named as the
/// <see cref="InferenceSettings"/> properties they set. PowerShell finds a binary cmdlet's parameters only on its own class
/// and its base classes, and Invoke-SleapPredict's base already carries the tracker parameters, so each cmdlet declares
/// them itself (the same attributes; a test compares them) and gives them no defaults: a parameter the user did not
/// give takes its value from <see cref="InferenceSettings"/>, the one source of defaults and of the checks.
/// </summary>
internal interface IInferenceSettingParameters
{
    int BatchSize { get; }
    double PeakThreshold { get; }
    PeakRefinement Refinement { get; }
    int IntegralPatchSize { get; }
    double MaxEdgeLengthRatio { get; }
    double DistPenaltyWeight { get; }
    int PafLinePoints { get; }
    double MinLineScores { get; }
    int MaxInstances { get; }
    int MinVisibleNodes { get; }
    double MinInstanceScore { get; }
    OverlapMethod OverlapMethod { get; }
    double OverlapThreshold { get; }
}

/// <summary>Builds the <see cref="InferenceSettings"/> of a cmdlet's inference-setting parameters.</summary>
internal static class InferenceSettingParameters
{
    /// <summary>The error id of a setting that <see cref="InferenceSettings"/> refuses.</summary>
    public const string InvalidSettingErrorId = "InvalidInferenceSetting";

    /// <summary>
    /// The settings of the parameters that were given, and of <paramref name="unset"/> for those that were not.
    /// Throws InvalidArgument (naming the setting and its range) for a value <see cref="InferenceSettings"/> refuses.
    /// </summary>
    public static InferenceSettings Settings<TCmdlet>(TCmdlet cmdlet, InferenceSettings unset)
        where TCmdlet : PSCmdlet, IInferenceSettingParameters
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        bool Given(string name) => bound.ContainsKey(name);
        return new InferenceSettings
        {
            BatchSize = Given(nameof(cmdlet.BatchSize)) ? cmdlet.BatchSize : unset.BatchSize,
            PeakThreshold = Given(nameof(cmdlet.PeakThreshold)) ? cmdlet.PeakThreshold : unset.PeakThreshold,
            Refinement = Given(nameof(cmdlet.Refinement)) ? cmdlet.Refinement : unset.Refinement,
            IntegralPatchSize = Given(nameof(cmdlet.IntegralPatchSize)) ? cmdlet.IntegralPatchSize : unset.IntegralPatchSize,
            MaxEdgeLengthRatio = Given(nameof(cmdlet.MaxEdgeLengthRatio)) ? cmdlet.MaxEdgeLengthRatio : unset.MaxEdgeLengthRatio,
            DistPenaltyWeight = Given(nameof(cmdlet.DistPenaltyWeight)) ? cmdlet.DistPenaltyWeight : unset.DistPenaltyWeight,
            PafLinePoints = Given(nameof(cmdlet.PafLinePoints)) ? cmdlet.PafLinePoints : unset.PafLinePoints,
            MinLineScores = Given(nameof(cmdlet.MinLineScores)) ? cmdlet.MinLineScores : unset.MinLineScores,
            MaxInstances = Given(nameof(cmdlet.MaxInstances)) ? cmdlet.MaxInstances : unset.MaxInstances,
            MinVisibleNodes = Given(nameof(cmdlet.MinVisibleNodes)) ? cmdlet.MinVisibleNodes : unset.MinVisibleNodes,
            MinInstanceScore = Given(nameof(cmdlet.MinInstanceScore)) ? cmdlet.MinInstanceScore : unset.MinInstanceScore,
            OverlapMethod = Given(nameof(cmdlet.OverlapMethod)) ? cmdlet.OverlapMethod : unset.OverlapMethod,
            OverlapThreshold = Given(nameof(cmdlet.OverlapThreshold)) ? cmdlet.OverlapThreshold : unset.OverlapThreshold,
        };
    }
}
