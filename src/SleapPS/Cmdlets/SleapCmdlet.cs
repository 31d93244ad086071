using System.Management.Automation;
using SleapPS.Engine;

namespace SleapPS.Cmdlets;

/// <summary>What every SleapPS cmdlet shares: path resolution and turning engine errors into ErrorRecords.</summary>
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
        _ => ErrorCategory.NotSpecified,
    };

    protected ErrorRecord ToErrorRecord(SleapException ex, string errorId) =>
        new(ex, errorId, CategoryOf(ex.Kind), ex.Path);

    /// <summary>Stops the pipeline: nothing further can be done.</summary>
    protected void Fail(SleapException ex, string errorId) => ThrowTerminatingError(ToErrorRecord(ex, errorId));

    /// <summary>Reports one bad item of a stream; the rest goes on.</summary>
    protected void Report(SleapException ex, string errorId) => WriteError(ToErrorRecord(ex, errorId));

    /// <summary>Resolves a path the user typed against PowerShell's current location, without requiring it to exist.</summary>
    protected string ResolveOutputPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Resolves -Path (wildcards allowed) or -LiteralPath to existing file-system paths. A path that
    /// matches nothing is reported as an ObjectNotFound error naming it, and yields nothing.
    /// </summary>
    protected IEnumerable<string> ResolveInputPaths(string path, bool literal)
    {
        if (literal)
        {
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                Report(new SleapException(SleapErrorKind.NotFound, $"Cannot find path '{resolved}' because it does not exist.", resolved), "PathNotFound");
                return [];
            }
            return [resolved];
        }
        try
        {
            var paths = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.Name != "FileSystem")
            {
                Report(new SleapException(SleapErrorKind.InvalidArgument, $"'{path}' is not a file-system path.", path), "NotAFileSystemPath");
                return [];
            }
            return paths;
        }
        catch (ItemNotFoundException)
        {
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            Report(new SleapException(SleapErrorKind.NotFound, $"Cannot find path '{resolved}' because it does not exist.", resolved), "PathNotFound");
            return [];
        }
    }
}
