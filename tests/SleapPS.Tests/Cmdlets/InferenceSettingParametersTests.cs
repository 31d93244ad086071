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
/// The inference-setting parameters of Import-SleapModel and Invoke-SleapPredict: one per InferenceSettings property,
/// declared alike by both, with the defaults InferenceSettings has, in the help and in what the cmdlets do.
/// </summary>
public sealed class InferenceSettingParametersTests : IDisposable
{
    private static readonly string[] Cmdlets = ["Import-SleapModel", "Invoke-SleapPredict"];
    private static readonly PropertyInfo[] Settings = typeof(InferenceSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Both_cmdlets_declare_every_setting_alike()
    {
        Assert.Equal(13, Settings.Length);
        var declarations = Cmdlets.ToDictionary(c => c, c => Settings.Select(s => Declaration(c, s.Name)).ToList());
        Assert.Equal(declarations[Cmdlets[0]], declarations[Cmdlets[1]]);
        // The types are the settings' own (MaxInstances, unset by leaving it out, is a plain int).
        Assert.Equal(Settings.Select(s => Nullable.GetUnderlyingType(s.PropertyType) ?? s.PropertyType).Select(t => t.Name),
            declarations[Cmdlets[0]].Select(d => d.Split('|')[0]));
        // The ranges PowerShell checks before anything runs.
        Assert.Contains("Int32||ValidateRange(1..4096)", declarations[Cmdlets[0]]);
        Assert.Contains("Double||ValidateRange(0..1.7976931348623157E+308)", declarations[Cmdlets[0]]);
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

    /// <summary>A parameter's type, aliases and validation, as Get-Command reports them.</summary>
    private string Declaration(string cmdlet, string parameter)
    {
        var metadata = Assert.IsType<ParameterMetadata>(_host.Run($"(Get-Command {cmdlet}).Parameters['{parameter}']").Output.Single().BaseObject);
        var checks = metadata.Attributes.OfType<ValidateArgumentsAttribute>().Select(a => a switch
        {
            ValidateRangeAttribute r => string.Create(CultureInfo.InvariantCulture, $"ValidateRange({r.MinRange}..{r.MaxRange})"),
            _ => a.GetType().Name,
        });
        return $"{metadata.ParameterType.Name}|{string.Join(",", metadata.Aliases)}|{string.Join(",", checks)}";
    }

    private string HelpDefault(string cmdlet, string parameter) =>
        _host.Run($"(Get-Help {cmdlet} -Parameter {parameter}).defaultValue").Output.Single().ToString();

    private static object Parse(string text, Type type) => type.IsEnum
        ? Enum.Parse(type, text)
        : Convert.ChangeType(text, Nullable.GetUnderlyingType(type) ?? type, CultureInfo.InvariantCulture);
}
