using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SleapPS.Engine;
using SleapPS.Engine.Models;

namespace SleapPS.Cmdlets;

/// <summary>
/// The parameters Import-SleapModel and Invoke-SleapPredict share, declared once: the device and precision models run
/// with, and the nine inference settings named as the <see cref="InferenceSettings"/> properties they set. Each cmdlet
/// returns one instance from <c>IDynamicParameters.GetDynamicParameters</c>: PowerShell finds a binary cmdlet's static
/// parameters only on its own class and its bases, and the two cmdlets share no base that could carry them
/// (Invoke-SleapPredict's base carries the tracker parameters it shares with Start-SleapTracker). Dynamic parameters
/// bind, validate, complete and list (Get-Command, Get-Help) as static ones do.
/// </summary>
/// <remarks>
/// No parameter has a default here: a setting the user did not give takes its value from <see cref="InferenceSettings"/>
/// (Import-SleapModel) or from the predictor (Invoke-SleapPredict), the one source of defaults and of the checks.
/// </remarks>
public sealed class InferenceParameters
{
    /// <summary>The error id of a setting that <see cref="InferenceSettings"/> refuses.</summary>
    public const string InvalidSettingErrorId = "InvalidInferenceSetting";

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public ExecutionDevice Device { get; set; }

    [Parameter]
    public ModelPrecision Precision { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(BatchSizeCompleter))]
    public BatchSizeSetting BatchSize { get; set; }

    [Parameter, ValidateRange(0.0, double.MaxValue)] public double PeakThreshold { get; set; }
    [Parameter] public PeakRefinement Refinement { get; set; }
    [Parameter, ValidateRange(1, 63)] public int IntegralPatchSize { get; set; }
    [Parameter, ValidateRange(0.0001, 10.0)] public double MaxEdgeLengthRatio { get; set; }
    [Parameter, ValidateRange(0.0, 1000.0)] public double DistPenaltyWeight { get; set; }
    [Parameter, ValidateRange(2, 1000)] public int PafLinePoints { get; set; }
    [Parameter] public double MinLineScores { get; set; }
    [Parameter, ValidateRange(1, int.MaxValue)] public int MaxInstances { get; set; }

    /// <summary>The parameters given on the command line (or by the pipeline): those left out keep their defaults.</summary>
    private IDictionary<string, object> _bound = new Dictionary<string, object>();

    /// <summary>Records which parameters <paramref name="cmdlet"/> was given; call before reading anything else.</summary>
    public InferenceParameters Of(PSCmdlet cmdlet)
    {
        _bound = cmdlet.MyInvocation.BoundParameters;
        return this;
    }

    public bool Given(string name) => _bound.ContainsKey(name);

    /// <summary>True when -BatchSize Auto was given: the batch is chosen once the models are on their device.</summary>
    public bool AutoBatchSize => Given(nameof(BatchSize)) && BatchSize.IsAuto;

    /// <summary>
    /// The settings of the parameters that were given, and of <paramref name="unset"/> for those that were not (and for the
    /// batch size when it is Auto: the caller chooses it with <see cref="Engine.Models.AutoBatchSize"/>).
    /// Throws InvalidArgument (naming the setting and its range) for a value <see cref="InferenceSettings"/> refuses.
    /// </summary>
    public InferenceSettings Settings(InferenceSettings unset) => new()
    {
        BatchSize = Given(nameof(BatchSize)) && BatchSize.Frames is int frames ? frames : unset.BatchSize,
        PeakThreshold = Given(nameof(PeakThreshold)) ? PeakThreshold : unset.PeakThreshold,
        Refinement = Given(nameof(Refinement)) ? Refinement : unset.Refinement,
        IntegralPatchSize = Given(nameof(IntegralPatchSize)) ? IntegralPatchSize : unset.IntegralPatchSize,
        MaxEdgeLengthRatio = Given(nameof(MaxEdgeLengthRatio)) ? MaxEdgeLengthRatio : unset.MaxEdgeLengthRatio,
        DistPenaltyWeight = Given(nameof(DistPenaltyWeight)) ? DistPenaltyWeight : unset.DistPenaltyWeight,
        PafLinePoints = Given(nameof(PafLinePoints)) ? PafLinePoints : unset.PafLinePoints,
        MinLineScores = Given(nameof(MinLineScores)) ? MinLineScores : unset.MinLineScores,
        MaxInstances = Given(nameof(MaxInstances)) ? MaxInstances : unset.MaxInstances,
    };
}

/// <summary>Completes -Device with the devices a user can name (Cuda:N for any N is accepted too).</summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    private static readonly string[] Devices = ["Auto", "Cpu", "Cuda", "Cuda:0", "Cuda:1", "TensorRT"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Devices, wordToComplete, ExecutionDevice.Forms);
}

/// <summary>Completes -BatchSize with Auto and a few common batch sizes.</summary>
public sealed class BatchSizeCompleter : IArgumentCompleter
{
    private static readonly string[] Sizes = ["Auto", "1", "4", "8", "16", "32", "64"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Sizes, wordToComplete, $"Frames per batch (1 to {BatchSizeSetting.Largest}), or Auto");
}

internal static class Completions
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete, string tip)
    {
        string typed = wordToComplete.Trim('\'', '"');
        return values.Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, tip));
    }
}
