using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;

namespace SleapPS.Cmdlets;

/// <summary>What every SleapPS cmdlet shares: path resolution, reading input labels files and turning engine errors into ErrorRecords.</summary>
public abstract class SleapCmdlet : PSCmdlet
{
    /// <summary>The ErrorCategory that fits an engine error kind.</summary>
    protected static ErrorCategory CategoryOf(SleapErrorKind kind) => kind switch
    {
        SleapErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        SleapErrorKind.InvalidData => ErrorCategory.InvalidData,
        SleapErrorKind.NotSupported => ErrorCategory.NotImplemented,
        SleapErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        SleapErrorKind.ReadError => ErrorCategory.ReadError,
        SleapErrorKind.WriteError => ErrorCategory.WriteError,
        SleapErrorKind.InUse => ErrorCategory.ResourceBusy,
        _ => ErrorCategory.NotSpecified,
    };

    protected ErrorRecord ToErrorRecord(SleapException ex, string errorId) =>
        new(ex, errorId, CategoryOf(ex.Kind), ex.Path);

    /// <summary>Stops the pipeline: nothing further can be done. Never returns, so callers need no <c>return</c> after it.</summary>
    [DoesNotReturn]
    protected void Fail(SleapException ex, string errorId) => throw Terminating(ex, errorId);

    /// <summary>
    /// The result of an engine call, or, when it throws a SleapException, a stop of the pipeline with the error id
    /// <paramref name="errorIdOf"/> picks for that error.
    /// </summary>
    protected T OrFail<T>(Func<T> call, Func<SleapException, string> errorIdOf)
    {
        try
        {
            return call();
        }
        catch (SleapException ex)
        {
            throw Terminating(ex, errorIdOf(ex));
        }
    }

    /// <summary>The result of an engine call, or, when it throws a SleapException, a stop of the pipeline with <paramref name="errorId"/>.</summary>
    protected T OrFail<T>(Func<T> call, string errorId) => OrFail(call, _ => errorId);

    /// <summary>
    /// Throws the terminating error. ThrowTerminatingError always throws, but PowerShellStandard does not mark it
    /// [DoesNotReturn]; the exception returned (never reached) lets callers end their flow with <c>throw</c>.
    /// </summary>
    private UnreachableException Terminating(SleapException ex, string errorId)
    {
        ThrowTerminatingError(ToErrorRecord(ex, errorId));
        return new UnreachableException();
    }

    /// <summary>Reports one bad item of a stream; the rest goes on.</summary>
    protected void Report(SleapException ex, string errorId) => WriteError(ToErrorRecord(ex, errorId));

    /// <summary>The object a PowerShell value stands for: parameters typed object receive PSObject wrappers (from the pipeline, arrays, variables).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    protected static object? Unwrapped(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>
    /// The file-system provider's item for a file written (what Get-Item emits): a FileInfo with the PSPath,
    /// PSParentPath and Mode members that make it print and pipe like any file.
    /// </summary>
    protected object ProviderItem(string path)
    {
        var items = InvokeProvider.Item.Get([path], force: true, literalPath: true);
        return items.Count > 0 ? items[0] : new FileInfo(path);
    }

    /// <summary>Resolves a path the user typed against PowerShell's current location, without requiring it to exist.</summary>
    protected string ResolveOutputPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Resolves -Path (wildcards allowed) or -LiteralPath to existing file-system paths. A path that
    /// matches nothing is reported as an ObjectNotFound error naming it, and yields nothing. A -Path
    /// that names an existing file literally (robot[1].mp4) is that file, even though its brackets
    /// would make a wildcard that matches other names or none.
    /// </summary>
    /// <param name="notFound">Takes the error of a path that matches nothing instead of reporting it.</param>
    protected IEnumerable<string> ResolveInputPaths(string path, bool literal, Action<SleapException>? notFound = null)
    {
        notFound ??= ex => Report(ex, "PathNotFound");
        string unresolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (literal)
        {
            if (!File.Exists(unresolved) && !Directory.Exists(unresolved))
            {
                notFound(new SleapException(SleapErrorKind.NotFound, $"Cannot find path '{unresolved}' because it does not exist.", unresolved));
                return [];
            }
            return [unresolved];
        }
        if (WildcardPattern.ContainsWildcardCharacters(path) && (File.Exists(unresolved) || Directory.Exists(unresolved)))
            return [unresolved];
        try
        {
            var paths = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.Name != "FileSystem")
            {
                Report(new SleapException(SleapErrorKind.InvalidArgument, $"'{path}' is not a file-system path.", path), "NotAFileSystemPath");
                return [];
            }
            if (paths.Count == 0)
            {
                // A wildcard that matches nothing: PowerShell resolves it to no path without an error.
                notFound(new SleapException(SleapErrorKind.NotFound, $"No file matches '{unresolved}'.", unresolved));
                return [];
            }
            return paths;
        }
        catch (ItemNotFoundException)
        {
            notFound(new SleapException(SleapErrorKind.NotFound, $"Cannot find path '{unresolved}' because it does not exist.", unresolved));
            return [];
        }
    }

    /// <summary>
    /// The files of -Path or of -LiteralPath, whichever the command was called with (its parameter set is then named
    /// "LiteralPath"), resolved by <see cref="ResolveInputPaths(string, bool, Action{SleapException}?)"/> one by one.
    /// </summary>
    protected IEnumerable<string> ResolveInputPaths(string[] path, string[] literalPath, Action<SleapException>? notFound = null)
    {
        bool literal = ParameterSetName == PathInputCmdlet.LiteralPathSet;
        foreach (string input in literal ? literalPath : path)
            foreach (string file in ResolveInputPaths(input, literal, notFound))
                yield return file;
    }

    /// <summary>
    /// The labels a cmdlet with LabelsInputCmdlet's parameters was given in one ProcessRecord: the -InputObject, or the
    /// files of -Path (wildcards allowed) or -LiteralPath, each read as the caller comes to it. A file that cannot be
    /// read is reported (LabelsReadFailed) and the others go on.
    /// </summary>
    protected IEnumerable<Labels> InputLabels(Labels inputObject, string[] path, string[] literalPath)
    {
        if (ParameterSetName == LabelsInputCmdlet.InputObjectSet)
        {
            yield return inputObject;
            yield break;
        }
        foreach (string file in ResolveInputPaths(path, literalPath))
        {
            Labels labels;
            try
            {
                labels = LabelsReader.Read(file);
            }
            catch (SleapException ex)
            {
                Report(ex, "LabelsReadFailed");
                continue;
            }
            yield return labels;
        }
    }
}
