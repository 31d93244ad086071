using System.Management.Automation;
using SleapPS.Engine.Evaluation;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Measure-SleapAccuracy in the real PowerShell engine, on the models' stored ground truth and predictions.</summary>
public sealed class MeasureSleapAccuracyTests : IDisposable
{
    private static string Model(string model) => Paths.Fixture("models", $"minimal_instance.UNet.{model}");
    private static string Gt(string model, string split = "val") => Path.Combine(Model(model), $"labels_gt.{split}.slp");
    private static string Pr(string model, string split = "val") => Path.Combine(Model(model), $"labels_pr.{split}.slp");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Paths_give_one_result_equal_to_the_engines()
    {
        var result = _host.Run($"Measure-SleapAccuracy -GroundTruth '{Gt("bottomup")}' -Predicted '{Pr("bottomup")}'");
        Assert.Empty(result.Errors);
        var metrics = result.Single<EvaluationMetrics>();
        AssertSameMetrics(Engine("bottomup"), metrics);
        Assert.Equal(0.8446238281642842, metrics.MeanOks, 12);
        Assert.Equal(0.7504950495049505, metrics.OksMap, 12);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_current_location_and_FileInfo_and_Labels_objects_are_accepted()
    {
        var expected = Engine("centered_instance");
        // Set-Location is not among the host's core cmdlets; the session state API does the same.
        var relative = _host.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{Model("centered_instance")}'); " +
                                 "Measure-SleapAccuracy labels_gt.val.slp labels_pr.val.slp");
        Assert.Empty(relative.Errors.Select(e => e.ToString()));
        AssertSameMetrics(expected, relative.Single<EvaluationMetrics>());

        var files = _host.Run($"Measure-SleapAccuracy ([System.IO.FileInfo]::new('{Gt("centered_instance")}')) ([System.IO.FileInfo]::new('{Pr("centered_instance")}'))");
        Assert.Empty(files.Errors.Select(e => e.ToString()));
        AssertSameMetrics(expected, files.Single<EvaluationMetrics>());

        var objects = _host.Run($"$gt = Import-SleapLabels '{Gt("centered_instance")}'; $pr = Import-SleapLabels '{Pr("centered_instance")}'; Measure-SleapAccuracy $gt $pr");
        AssertSameMetrics(expected, objects.Single<EvaluationMetrics>());
    }

    [Fact]
    public void Predictions_from_the_pipeline_each_give_a_result_against_one_ground_truth()
    {
        // The three models' val predictions are all on frame 0 of the same video, so one ground truth serves them all.
        var models = new[] { "bottomup", "centered_instance", "centroid" };
        var result = _host.Run($"$files | Import-SleapLabels | Measure-SleapAccuracy -GroundTruth '{Gt("centroid")}'",
            new Dictionary<string, object?> { ["files"] = models.Select(m => Pr(m)).ToArray() });
        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Output.Count);
        for (int i = 0; i < models.Length; i++)
            AssertSameMetrics(Engine(models[i]), (EvaluationMetrics)result.Output[i].BaseObject);

        // Paths in the pipeline work too.
        var byPath = _host.Run($"'{Pr("bottomup")}' | Measure-SleapAccuracy -GroundTruth '{Gt("bottomup")}'");
        AssertSameMetrics(Engine("bottomup"), byPath.Single<EvaluationMetrics>());
    }

    [Fact]
    public void Options_reach_the_engine()
    {
        var wide = _host.Run($"Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup")}' -OksStddev 0.05").Single<EvaluationMetrics>();
        var expected = Evaluator.Evaluate(LabelsReader.Read(Gt("bottomup")), LabelsReader.Read(Pr("bottomup")), new EvaluationOptions { OksStddev = 0.05 });
        AssertSameMetrics(expected, wide);
        Assert.True(wide.MeanOks > 0.95, $"A wider κ forgives more: {wide.MeanOks}");

        var strict = _host.Run($"Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup")}' -MatchThreshold 0.85").Single<EvaluationMetrics>();
        Assert.Equal((1, 1), (strict.MatchedCount, strict.FalseNegativeCount)); // pair OKS 0.858 and 0.832

        var scaled = _host.Run($"Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup")}' -OksScale 100000").Single<EvaluationMetrics>();
        Assert.Equal(100000, scaled.Options.OksScale);
        Assert.True(scaled.MeanOks > 0.99);
    }

    [Fact]
    public void Predictions_in_the_ground_truth_count_only_with_IncludePredictedGroundTruth()
    {
        // A predictions file against itself: it has no user instances, so by default there is nothing to evaluate.
        var error = _host.RunExpectingError($"Measure-SleapAccuracy '{Pr("bottomup")}' '{Pr("bottomup")}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        var self = _host.Run($"Measure-SleapAccuracy '{Pr("bottomup")}' '{Pr("bottomup")}' -IncludePredictedGroundTruth").Single<EvaluationMetrics>();
        Assert.Equal((2, 1.0, 0.0), (self.MatchedCount, self.MeanOks, self.DistanceP99));
    }

    [Fact]
    public void No_frame_in_common_is_a_terminating_ObjectNotFound_error_that_says_so()
    {
        // The train predictions are on frame 1, the val ground truth on frame 0.
        var error = _host.RunExpectingError($"Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup", "train")}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("NoFramePairs,SleapPS.Cmdlets.MeasureSleapAccuracyCommand", error.FullyQualifiedErrorId);
        Assert.Equal($"Nothing to evaluate: no labelled frame with user instances of '{Gt("bottomup")}' has a predicted frame in " +
                     $"'{Pr("bottomup", "train")}' with the same video and frame index. Check that the predictions were made on the " +
                     "ground truth's video (same filename) and frames.", error.Exception.Message);
    }

    [Fact]
    public void A_missing_or_unreadable_file_is_a_terminating_error_naming_it()
    {
        var missing = _dir.File("nowhere.slp");
        var error = _host.RunExpectingError($"Measure-SleapAccuracy '{missing}' '{Pr("bottomup")}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"Cannot read '{missing}': the file does not exist. Check the path and the current directory.", error.Exception.Message);
        Assert.Equal(missing, error.TargetObject);

        var notLabels = _dir.File("notes.slp");
        File.WriteAllText(notLabels, "not labels");
        error = _host.RunExpectingError($"Measure-SleapAccuracy '{Gt("bottomup")}' '{notLabels}'");
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.StartsWith($"Cannot read '{notLabels}': it is not a SLEAP labels file.", error.Exception.Message);
    }

    [Fact]
    public void Values_that_are_neither_labels_nor_paths_and_bad_options_are_InvalidArgument_errors()
    {
        var error = _host.RunExpectingError($"Measure-SleapAccuracy -GroundTruth 42 -Predicted '{Pr("bottomup")}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("-GroundTruth takes a Labels object (from Import-SleapLabels) or the path of a labels file, but got a System.Int32.", error.Exception.Message);

        error = _host.RunExpectingError($"Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup")}' -OksStddev 0");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("-OksStddev must be a positive number, but is 0.", error.Exception.Message);

        error = _host.RunExpectingError($"Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup")}' -MatchThreshold 2");
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category); // PowerShell's own parameter validation
    }

    [Fact]
    public void The_result_shows_headline_numbers_and_per_node_detail_as_tables()
    {
        var script = _dir.File("show.ps1");
        File.WriteAllText(script,
            $"$r = Measure-SleapAccuracy '{Gt("bottomup")}' '{Pr("bottomup")}'\n$r | Out-Default\n$r.PerNode | Out-Default\n");
        var text = SleapPSRunner.Run(script);
        Assert.Matches(@"Frames\s+Matched\s+mOKS\s+OKS mAP\s+OKS mAR\s+mPCK\s+Dist p50\s+Dist p95\s+Vis prec\s+Vis rec", text);
        Assert.Matches(@"\n\s+1\s+2/2\s+0\.8446\s+0\.7505\s+0\.7500\s+0\.9500\s+1\.019\s+1\.769\s+1\.0000\s+1\.0000", text);
        Assert.Matches(@"Node\s+mPCK\s+Dist avg\s+p50\s+p75\s+p90\s+p95\s+p99\s+Found", text);
        Assert.Matches(@"\nB\s+0\.9000\s+1\.473\s+1\.473", text);
    }

    private static EvaluationMetrics Engine(string model) =>
        Evaluator.Evaluate(LabelsReader.Read(Gt(model)), LabelsReader.Read(Pr(model)));

    private static void AssertSameMetrics(EvaluationMetrics expected, EvaluationMetrics actual)
    {
        Assert.Equal(expected.Distances, actual.Distances);
        Assert.Equal(expected.PairOks, actual.PairOks);
        Assert.Equal(
            (expected.FrameCount, expected.MatchedCount, expected.FalseNegativeCount, expected.MeanOks, expected.OksMap, expected.OksMar, expected.PckMap, expected.PckMar,
             expected.MeanPck, expected.DistanceAverage, expected.DistanceP50, expected.DistanceP95, expected.VisibilityPrecision, expected.VisibilityRecall),
            (actual.FrameCount, actual.MatchedCount, actual.FalseNegativeCount, actual.MeanOks, actual.OksMap, actual.OksMar, actual.PckMap, actual.PckMar,
             actual.MeanPck, actual.DistanceAverage, actual.DistanceP50, actual.DistanceP95, actual.VisibilityPrecision, actual.VisibilityRecall));
        Assert.Equal(expected.PerNode, actual.PerNode);
    }
}
