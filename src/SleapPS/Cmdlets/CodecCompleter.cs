using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SleapPS.Engine.Rendering;

namespace SleapPS.Cmdlets;

/// <summary>
/// Completes Export-SleapVideo -Codec with the FourCCs that suit the output's extension (all of them before a path is
/// typed), so that Tab offers codecs rather than the file names PowerShell would complete by default.
/// </summary>
public sealed class CodecCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? path = fakeBoundParameters["Path"]?.ToString();
        string extension = path is null ? "" : System.IO.Path.GetExtension(path);
        var codecs = VideoCodecs.IsVideoExtension(extension)
            ? VideoCodecs.For(extension)
            : VideoCodecs.Extensions.SelectMany(VideoCodecs.For).Distinct(StringComparer.Ordinal).ToList();
        foreach (string codec in codecs)
            if (codec.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(codec, codec, CompletionResultType.ParameterValue, $"FourCC {codec}");
    }
}
