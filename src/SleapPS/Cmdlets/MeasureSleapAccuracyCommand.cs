using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Evaluation;
using SleapPS.Engine.IO;

namespace SleapPS.Cmdlets;

/// <summary>
/// Compares predictions with ground-truth labels the way SLEAP's evaluation does (sleap.nn.evals.evaluate) and emits
/// one EvaluationMetrics object per set of predictions.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "SleapAccuracy")]
[OutputType(typeof(EvaluationMetrics))]
public sealed class MeasureSleapAccuracyCommand : SleapCmdlet
{
    /// <summary>The labels to compare against: a Labels object, or the path of a labels file (string or FileInfo).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object GroundTruth { get; set; } = null!;

    /// <summary>The predictions: a Labels object, or the path of a labels file (string or FileInfo); also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object Predicted { get; set; } = null!;

    /// <summary>κ of the object keypoint similarity; SLEAP's default is 0.025.</summary>
    [Parameter]
    public double OksStddev { get; set; } = EvaluationOptions.Default.OksStddev;

    /// <summary>OKS scale in pixels² for every instance; by default each ground-truth instance's bounding-box area.</summary>
    [Parameter]
    public double? OksScale { get; set; }

    /// <summary>A prediction matches a ground-truth instance only when their OKS is above this; SLEAP's default is 0.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double MatchThreshold { get; set; }

    /// <summary>Count the ground-truth file's predicted instances (and frames that only have those) as ground truth too.</summary>
    [Parameter]
    public SwitchParameter IncludePredictedGroundTruth { get; set; }

    private Labels? _groundTruth;
    private EvaluationOptions _options = EvaluationOptions.Default;

    protected override void BeginProcessing()
    {
        RequirePositive(OksStddev, "OksStddev");
        if (OksScale is double scale) RequirePositive(scale, "OksScale");
        _options = new EvaluationOptions
        {
            OksStddev = OksStddev,
            OksScale = OksScale,
            MatchThreshold = MatchThreshold,
            UserLabelsOnly = !IncludePredictedGroundTruth,
        };
    }

    protected override void ProcessRecord()
    {
        static string ErrorIdOf(SleapException ex) => ex.Kind == SleapErrorKind.InvalidArgument ? "NotLabels" : "LabelsReadFailed";
        _groundTruth ??= OrFail(() => ToLabels(GroundTruth, "GroundTruth"), ErrorIdOf);
        var predicted = OrFail(() => ToLabels(Predicted, "Predicted"), ErrorIdOf);

        WriteVerbose($"Evaluating {Describe(predicted)} against {Describe(_groundTruth)}.");
        try
        {
            WriteObject(Evaluator.Evaluate(_groundTruth, predicted, _options));
        }
        catch (SleapException ex)
        {
            // The evaluator's only NotFound: no ground-truth frame has a prediction frame.
            Fail(ex, ex.Kind == SleapErrorKind.NotFound ? "NoFramePairs" : "EvaluationFailed");
        }
    }

    /// <summary>A Labels object as given, or the labels file a string or FileInfo names, read as Import-SleapLabels reads it.</summary>
    private Labels ToLabels(object value, string parameter)
    {
        switch (Unwrapped(value))
        {
            case Labels labels:
                return labels;
            case FileInfo file:
                return Read(file.FullName);
            case string path when !string.IsNullOrWhiteSpace(path):
                return Read(ResolveOutputPath(path));
            default:
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"-{parameter} takes a Labels object (from Import-SleapLabels) or the path of a labels file, but got {Describe(value)}.");
        }
    }

    private Labels Read(string path)
    {
        WriteVerbose($"Reading labels from '{path}'.");
        return LabelsReader.Read(path);
    }

    private void RequirePositive(double value, string parameter)
    {
        if (value > 0 && double.IsFinite(value)) return;
        Fail(new SleapException(SleapErrorKind.InvalidArgument,
            $"-{parameter} must be a positive number, but is {value}. SLEAP's default κ is 0.025; a scale is an area in pixels²."), "InvalidOksParameter");
    }

    private static string Describe(object? value) => Unwrapped(value) switch
    {
        Labels { SourcePath: { } path } => $"'{path}'",
        Labels => "labels built in memory",
        null => "nothing",
        string text => $"an empty string '{text}'",
        var other => $"a {other.GetType().FullName}",
    };
}
