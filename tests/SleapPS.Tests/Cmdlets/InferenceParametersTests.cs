using System.Globalization;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using SleapPS.Engine;
using SleapPS.Engine.Models;
using SleapPS.Tests.Models.Runtime;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>
/// The parameters Import-SleapModel and Invoke-SleapPredict share (-Device, -Precision and one per InferenceSettings
/// property): declared once, on InferenceParameters, which both cmdlets return as their dynamic parameters; with the
/// defaults InferenceSettings has, in the help and in what the cmdlets do.
/// </summary>
public sealed class InferenceParametersTests : IDisposable
{
    private static readonly string[] Cmdlets = ["Import-SleapModel", "Invoke-SleapPredict"];
    private static readonly PropertyInfo[] Settings = typeof(InferenceSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.Name != "EqualityContract").ToArray();

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();
    private readonly Type _parameters;
    private readonly string[] _shared;

    public InferenceParametersTests()
    {
        // The module's own types, as PowerShell loaded them (the tests do not reference the cmdlet assembly).
        _parameters = CmdletType("Import-SleapModel").Assembly.GetType("SleapPS.Cmdlets.InferenceParameters", throwOnError: true)!;
        _shared = _parameters.GetProperties().Where(p => p.GetCustomAttribute<ParameterAttribute>() is not null).Select(p => p.Name).ToArray();
    }

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void One_declaration_serves_both_cmdlets()
    {
        // Every setting has its parameter, named as the setting, beside -Device and -Precision.
        Assert.Equal(9, Settings.Length);
        Assert.Equal(["Device", "Precision", .. Settings.Select(s => s.Name)], _shared);
        foreach (string cmdlet in Cmdlets)
        {
            // No cmdlet declares them again: they reach PowerShell only as the cmdlet's dynamic parameters.
            var type = CmdletType(cmdlet);
            Assert.Empty(type.GetProperties().Select(p => p.Name).Intersect(_shared));
            var instance = (IDynamicParameters)Activator.CreateInstance(type)!;
            Assert.Same(_parameters, instance.GetDynamicParameters()!.GetType());
            foreach (string name in _shared)
                Assert.Equal(Declaration(_parameters.GetProperty(name)!), Declaration(cmdlet, name));
        }
        // The ranges PowerShell checks before anything runs, as Get-Command reports them.
        Assert.Equal("Int32||ValidateRange(1..63)|dynamic", Declaration("Invoke-SleapPredict", "IntegralPatchSize"));
        Assert.Equal("BatchSizeSetting|||dynamic", Declaration("Import-SleapModel", "BatchSize"));
    }

    [Fact]
    public void BatchSize_binds_a_number_or_Auto_and_refuses_anything_else()
    {
        string model = ModelFolders.Path(ModelFolders.SingleInstance), cache = _dir.File("cache");
        Assert.Equal(8, _host.Run($"Import-SleapModel '{model}' -CacheFolder '{cache}' -BatchSize 8").Single<Predictor>().Settings.BatchSize);
        Assert.Equal(16, _host.Run($"Import-SleapModel '{model}' -CacheFolder '{cache}' -Batch '16'").Single<Predictor>().Settings.BatchSize);
        // Auto on the CPU is SLEAP's default batch, said on the verbose stream.
        var auto = _host.Run($"Import-SleapModel '{model}' -CacheFolder '{cache}' -BatchSize auto -Device Cpu -Verbose");
        Assert.Equal(AutoBatchSize.CpuBatchSize, auto.Single<Predictor>().Settings.BatchSize);
        Assert.Contains("Batch size Auto: 4 frames a batch on Cpu.", auto.Verbose);

        var refused = _host.RunExpectingError($"Import-SleapModel '{model}' -CacheFolder '{cache}' -BatchSize 4097");
        Assert.Equal("CannotConvertArgumentNoMessage,SleapPS.Cmdlets.ImportSleapModelCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("The batch size '4097' is not valid: give a number of frames from 1 to 4096, or Auto for the largest batch that fits the device.",
            refused.Exception.Message);
    }

    [Fact]
    public void Tab_completes_the_devices_and_batch_sizes()
    {
        Assert.Equal(["Cpu", "Cuda", "Cuda:0", "Cuda:1"], Completions("Invoke-SleapPredict -Device c"));
        Assert.Equal(["Auto", "1", "4", "8", "16", "32", "64"], Completions("Import-SleapModel x -BatchSize "));
        Assert.Equal(["-BatchSize"], Completions("Import-SleapModel x -Batch"));
    }

    [Fact]
    public void Invoke_SleapPredict_keeps_the_predictors_device_unless_another_is_asked_for()
    {
        string cache = _dir.File("cache");
        var run = _host.Run($"Import-SleapModel '{ModelFolders.Path(ModelFolders.SingleInstance)}' -CacheFolder '{cache}' -Device Cpu | " +
                            $"Invoke-SleapPredict -Video '{_dir.File("none.mp4")}' -Device Auto -Verbose");
        // Auto resolves to the CPU here, where the predictor already is: nothing is loaded again.
        Assert.DoesNotContain(run.Verbose, v => v.Contains("loading its models again", StringComparison.Ordinal));
        Assert.Contains(run.Verbose, v => v.StartsWith("Device Auto: the models run on the CPU. The device Cuda cannot be used: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_help_of_both_cmdlets_shows_the_defaults_of_InferenceSettings()
    {
        var defaults = new InferenceSettings();
        foreach (var setting in Settings)
        {
            object? expected = setting.GetValue(defaults);
            var vars = new Dictionary<string, object?> { ["name"] = setting.Name };

            string import = HelpDefault("Import-SleapModel", setting.Name);
            if (expected is null) Assert.Equal("None (all)", import);
            else Assert.True(Equals(expected, Parse(import, setting.PropertyType)), $"Import-SleapModel -{setting.Name}: help shows '{import}', InferenceSettings has {expected}");

            // Invoke-SleapPredict keeps the predictor's settings, which are InferenceSettings' unless Import-SleapModel set them.
            string invoke = HelpDefault("Invoke-SleapPredict", setting.Name);
            var match = Regex.Match(invoke, @"^The predictor's \((?<value>[^ )]+)");
            Assert.True(match.Success, $"Invoke-SleapPredict -{setting.Name}: help shows '{invoke}'");
            if (expected is null) Assert.Equal("all", match.Groups["value"].Value);
            else Assert.True(Equals(expected, Parse(match.Groups["value"].Value, setting.PropertyType)),
                $"Invoke-SleapPredict -{setting.Name}: help shows '{invoke}', InferenceSettings has {expected}");
        }
    }

    [Fact]
    public void Settings_left_out_of_Import_SleapModel_are_InferenceSettings_defaults()
    {
        string cache = _dir.File("cache");
        using var predictor = _host.Run($"Import-SleapModel '{ModelFolders.Path(ModelFolders.SingleInstance)}' -CacheFolder '{cache}' -PeakThreshold 0.5")
            .Single<Predictor>();
        var defaults = new InferenceSettings();
        foreach (var setting in Settings.Where(s => s.Name != nameof(InferenceSettings.PeakThreshold)))
            Assert.Equal(setting.GetValue(defaults), setting.GetValue(predictor.Settings));
        Assert.Equal(0.5, predictor.Settings.PeakThreshold);
    }

    [Fact]
    public void A_setting_InferenceSettings_refuses_stops_either_cmdlet_with_its_message()
    {
        string cache = _dir.File("cache");
        var import = _host.RunExpectingError($"Import-SleapModel '{ModelFolders.Path(ModelFolders.SingleInstance)}' -CacheFolder '{cache}' -IntegralPatchSize 6");
        Assert.Equal("InvalidInferenceSetting,SleapPS.Cmdlets.ImportSleapModelCommand", import.FullyQualifiedErrorId);
        Assert.Equal("The inference setting IntegralPatchSize is 6; it must be an odd number of at least 1.", import.Exception.Message);

        var invoke = _host.RunExpectingError(
            $"Import-SleapModel '{ModelFolders.Path(ModelFolders.SingleInstance)}' -CacheFolder '{cache}' | Invoke-SleapPredict -Video '{_dir.File("none.mp4")}' -IntegralPatchSize 2");
        Assert.Equal("InvalidInferenceSetting,SleapPS.Cmdlets.InvokeSleapPredictCommand", invoke.FullyQualifiedErrorId);
        Assert.Equal("The inference setting IntegralPatchSize is 2; it must be an odd number of at least 1.", invoke.Exception.Message);
    }

    /// <summary>A parameter's type, aliases and validation, as Get-Command reports them, and whether it is dynamic.</summary>
    private string Declaration(string cmdlet, string parameter)
    {
        var metadata = Assert.IsType<ParameterMetadata>(_host.Run($"(Get-Command {cmdlet}).Parameters['{parameter}']").Output.Single().BaseObject);
        return Declaration(metadata.ParameterType, metadata.Aliases, metadata.Attributes) + (metadata.IsDynamic ? "|dynamic" : "");
    }

    /// <summary>The same of the one declaration, read from InferenceParameters itself.</summary>
    private static string Declaration(PropertyInfo property) =>
        Declaration(property.PropertyType, property.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? [], property.GetCustomAttributes()) + "|dynamic";

    private static string Declaration(Type type, IEnumerable<string> aliases, IEnumerable<Attribute> attributes)
    {
        var checks = attributes.OfType<ValidateArgumentsAttribute>().Select(a => a switch
        {
            ValidateRangeAttribute r => string.Create(CultureInfo.InvariantCulture, $"ValidateRange({r.MinRange}..{r.MaxRange})"),
            _ => a.GetType().Name,
        });
        return $"{type.Name}|{string.Join(",", aliases)}|{string.Join(",", checks)}";
    }

    private Type CmdletType(string cmdlet) => _host.Run($"(Get-Command {cmdlet}).ImplementingType").Single<Type>();

    private List<string> Completions(string line) =>
        _host.Run("(TabExpansion2 $line $line.Length).CompletionMatches.CompletionText", new Dictionary<string, object?> { ["line"] = line })
            .Output.Select(o => o.ToString()).ToList();

    private string HelpDefault(string cmdlet, string parameter) =>
        _host.Run($"(Get-Help {cmdlet} -Parameter {parameter}).defaultValue").Output.Single().ToString();

    private static object Parse(string text, Type type) => type.IsEnum
        ? Enum.Parse(type, text)
        : Convert.ChangeType(text, Nullable.GetUnderlyingType(type) ?? type, CultureInfo.InvariantCulture);
}
