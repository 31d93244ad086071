using System.Management.Automation;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Import-SleapModel in the real PowerShell engine, on SLEAP's fixture models.</summary>
public sealed class ImportSleapModelTests : IDisposable
{
    private static readonly string Centroid = ModelFolders.Path(ModelFolders.Centroid);
    private static readonly string Centered = ModelFolders.Path(ModelFolders.CenteredInstance);

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    private string Cache => _dir.File("cache");

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Centroid_and_centered_instance_folders_make_a_top_down_predictor()
    {
        var result = _host.Run($"Import-SleapModel '{Centroid}', '{Centered}' -CacheFolder '{Cache}'");
        Assert.Empty(result.Errors);
        using var predictor = result.Single<Predictor>();
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.Equal(Path.Combine(Centroid, "best_model.h5"), predictor.Centroid!.SourcePath);
        Assert.Equal(Path.Combine(Centered, "best_model.h5"), predictor.Instance!.SourcePath);
        Assert.Equal(ExecutionDevice.Cpu, predictor.Device);
        var s = predictor.Settings;
        Assert.Equal((4, 0.2, PeakRefinement.Integral, 5, 0.25, 1.0, 10, 0.25, (int?)null),
            (s.BatchSize, s.PeakThreshold, s.Refinement, s.IntegralPatchSize, s.MaxEdgeLengthRatio, s.DistPenaltyWeight, s.PafLinePoints, s.MinLineScores, s.MaxInstances));
    }

    [Theory]
    [InlineData(ModelFolders.SingleInstance, PredictorKind.SingleInstance)]
    [InlineData(ModelFolders.BottomUp, PredictorKind.BottomUp)]
    [InlineData(ModelFolders.BottomUpMultiClass, PredictorKind.BottomUpMultiClass)]
    [InlineData(ModelFolders.TopDownMultiClass, PredictorKind.TopDownMultiClass)]
    [InlineData(ModelFolders.CenteredInstanceWithScaling, PredictorKind.TopDown)]
    public void Each_other_kind_imports(string name, PredictorKind kind)
    {
        using var predictor = _host.Run($"Import-SleapModel '{ModelFolders.Path(name)}' -CacheFolder '{Cache}'").Single<Predictor>();
        Assert.Equal(kind, predictor.Kind);
    }

    [Fact]
    public void Settings_are_parameters()
    {
        using var predictor = _host.Run(
            $"Import-SleapModel '{ModelFolders.Path(ModelFolders.BottomUp)}' -CacheFolder '{Cache}' -BatchSize 8 -PeakThreshold 0.3 -Refinement Local " +
            "-IntegralPatchSize 7 -MaxEdgeLengthRatio 0.5 -DistPenaltyWeight 2 -PafLinePoints 20 -MinLineScores 0.1 -MaxInstances 2").Single<Predictor>();
        var s = predictor.Settings;
        Assert.Equal((8, 0.3, PeakRefinement.Local, 7, 0.5, 2.0, 20, 0.1, (int?)2),
            (s.BatchSize, s.PeakThreshold, s.Refinement, s.IntegralPatchSize, s.MaxEdgeLengthRatio, s.DistPenaltyWeight, s.PafLinePoints, s.MinLineScores, s.MaxInstances));
    }

    [Fact]
    public void Paths_from_the_pipeline_by_PSPath_make_one_predictor()
    {
        var result = _host.Run(
            $"[pscustomobject]@{{ PSPath = '{Centroid}' }}, [pscustomobject]@{{ PSPath = '{Centered}' }} | Import-SleapModel -CacheFolder '{Cache}'");
        Assert.Empty(result.Errors);
        using var predictor = result.Single<Predictor>();
        Assert.Equal(PredictorKind.TopDown, predictor.Kind);
        Assert.Equal(2, predictor.Models.Count);
    }

    [Fact]
    public void Wildcards_and_strings_from_the_pipeline_work()
    {
        string pattern = Path.Combine(Paths.Fixtures, "models", "minimal_instance.UNet.cent*");
        var result = _host.Run($"'{Centroid}' | Import-SleapModel -CacheFolder '{Cache}'");
        Assert.Equal(PredictorKind.TopDown, result.Single<Predictor>().Kind);
        // centroid, centered_instance and centered_instance_with_scaling: two instance models make no predictor.
        var error = _host.RunExpectingError($"Import-SleapModel '{pattern}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("More than one instance (centered_instance or multi_class_topdown) model was given", error.Exception.Message);
    }

    [Fact]
    public void The_second_import_reads_the_cache_and_says_so()
    {
        _host.Run($"Import-SleapModel '{Centroid}' -CacheFolder '{Cache}'");
        var result = _host.Run($"Import-SleapModel '{Centroid}' -CacheFolder '{Cache}' -Verbose");
        string keras = Path.Combine(Centroid, "best_model.h5");
        Assert.Contains(result.Verbose, v => v.StartsWith($"Model cache hit for '{keras}': '{Cache}"));
        Assert.Contains(result.Verbose, v => v.StartsWith($"centroid '{keras}': read from the model cache; loaded in "));
        Assert.True(result.Single<Predictor>().Models[0].LoadedFromCache);
    }

    [Fact]
    public void The_first_import_reports_conversion_progress_and_time()
    {
        var result = _host.Run($"Import-SleapModel '{Centroid}' -CacheFolder '{Cache}' -Verbose");
        Assert.Contains(result.Verbose, v => v.StartsWith($"Converted '{Path.Combine(Centroid, "best_model.h5")}' to ONNX in "));
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("Converting to ONNX"));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void Device_Cuda_fails_saying_what_to_install()
    {
        var error = _host.RunExpectingError($"Import-SleapModel '{Centroid}' -CacheFolder '{Cache}' -Device Cuda");
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Equal("ModelLoadFailed,SleapPS.Cmdlets.ImportSleapModelCommand", error.FullyQualifiedErrorId);
        Assert.Equal(NoGpuHere.Message("Cuda"), error.Exception.Message);
    }

    [Fact]
    public void Device_Auto_falls_back_to_the_cpu_on_the_verbose_stream()
    {
        var result = _host.Run($"Import-SleapModel '{Centroid}' -CacheFolder '{Cache}' -Device Auto -Verbose");
        Assert.Equal(ExecutionDevice.Cpu, result.Single<Predictor>().Device);
        Assert.Contains("Device Auto: the models run on the CPU. " + NoGpuHere.Message("Cuda"), result.Verbose);
    }

    [Fact]
    public void A_folder_without_best_model_is_object_not_found()
    {
        string folder = ModelFolders.Copy(ModelFolders.Centroid, _dir.FullName, withKeras: false);
        var error = _host.RunExpectingError($"Import-SleapModel '{folder}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(Path.Combine(folder, "best_model.h5"), error.TargetObject);
        Assert.Equal($"The model folder '{folder}' has training_config.json but no best_model.h5 (the trained weights). Copy the whole model folder from where it was trained.", error.Exception.Message);
    }

    [Fact]
    public void A_missing_path_is_object_not_found_and_no_predictor_is_made()
    {
        string missing = _dir.File("nothing-here");
        // One terminating error that names the path: a predictor of the models found would be half of what was asked for.
        var result = _host.Run($"try {{ Import-SleapModel '{missing}' -CacheFolder '{Cache}' }} catch {{ $_ }}");
        Assert.Empty(result.Errors);
        var terminating = result.Single<ErrorRecord>();
        Assert.Equal(ErrorCategory.ObjectNotFound, terminating.CategoryInfo.Category);
        Assert.StartsWith($"No model was found at '{missing}', so no predictor was made.", terminating.Exception.Message);
    }

    [Fact]
    public void A_truncated_best_model_is_invalid_data()
    {
        string folder = ModelFolders.Copy(ModelFolders.Centroid, _dir.FullName);
        string h5 = ModelFolders.Truncate(folder);
        var error = _host.RunExpectingError($"Import-SleapModel '{folder}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(h5, error.TargetObject);
        Assert.StartsWith($"Cannot read the Keras model '{h5}': ", error.Exception.Message);
    }

    [Fact]
    public void An_unsupported_layer_is_not_implemented_naming_it()
    {
        string folder = ModelFolders.Copy(ModelFolders.Centroid, _dir.FullName);
        string h5 = ModelFolders.ChangeLayerClass(folder, "stack0_enc0_conv1", "SeparableConv2D");
        var error = _host.RunExpectingError($"Import-SleapModel '{folder}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Equal(h5, error.TargetObject);
        Assert.StartsWith($"Layer 'stack0_enc0_conv1' (SeparableConv2D) is a layer type SleapPS cannot convert. Model: '{h5}'.", error.Exception.Message);
    }

    [Fact]
    public void Two_centroid_models_are_invalid_argument()
    {
        string copy = ModelFolders.Copy(ModelFolders.Centroid, _dir.FullName);
        var error = _host.RunExpectingError($"Import-SleapModel '{Centroid}', '{copy}' -CacheFolder '{Cache}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("NoPredictor,SleapPS.Cmdlets.ImportSleapModelCommand", error.FullyQualifiedErrorId);
        Assert.Equal($"More than one centroid model was given: '{Centroid}' (centroid), '{copy}' (centroid). A predictor uses one; give only the one you mean.", error.Exception.Message);
    }

    [Fact]
    public void Out_of_range_settings_are_refused_by_parameter_validation()
    {
        var error = _host.RunExpectingError($"Import-SleapModel '{Centroid}' -BatchSize 0");
        Assert.Equal("CannotConvertArgumentNoMessage,SleapPS.Cmdlets.ImportSleapModelCommand", error.FullyQualifiedErrorId);
        var wide = _host.RunExpectingError($"Import-SleapModel '{Centroid}' -IntegralPatchSize 65");
        Assert.Equal("ParameterArgumentValidationError,SleapPS.Cmdlets.ImportSleapModelCommand", wide.FullyQualifiedErrorId);
        var even = _host.RunExpectingError($"Import-SleapModel '{Centroid}' -CacheFolder '{Cache}' -IntegralPatchSize 4");
        Assert.Equal(ErrorCategory.InvalidArgument, even.CategoryInfo.Category);
        Assert.Equal("The inference setting IntegralPatchSize is 4; it must be an odd number of at least 1.", even.Exception.Message);
    }

    [Fact]
    public void In_a_console_the_predictor_shows_as_a_table_and_cuda_says_what_to_install()
    {
        // The runner is a separate process that imports out/SleapPS as a user would, so the engine (and the
        // ONNX Runtime the CUDA message describes) is the module's own, and our format file formats the output.
        string script = _dir.File("predictor.ps1");
        File.WriteAllText(script, $$"""
            Import-SleapModel '{{Centroid}}', '{{Centered}}' -CacheFolder '{{Cache}}'
            try { Import-SleapModel '{{Centroid}}' -Device Cuda } catch { 'CUDA: ' + $_.Exception.Message }
            """);
        string text = SleapPSRunner.Run(script);
        Assert.Matches(@"Kind\s+Models\s+Skeleton\s+Device\s+Batch\s+Threshold", text);   // fits 80 columns
        Assert.Matches(@"TopDown\s+centroid \+ centered_instance\s+2 nodes\s+Cpu\s+4\s+0\.2\s*\n", text); // the rest is in Format-List
        Assert.Contains("CUDA: " + NoGpuHere.Message("Cuda"), text.ReplaceLineEndings(" "));
    }
}
