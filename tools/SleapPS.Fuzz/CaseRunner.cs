using System.Text.RegularExpressions;
using SleapPS.Engine;

namespace SleapPS.Fuzz;

/// <summary>Runs one case in this process: lays out its folder, reads it, and classifies what happened.</summary>
public static partial class CaseRunner
{
    /// <summary>The outcome and, for an error, a one-line signature (message with paths and numbers blanked) and the message.</summary>
    public sealed record Result(CaseOutcome Outcome, string Signature, string Message)
    {
        /// <summary>The whole exception with its stack, for debugging one case (--case).</summary>
        public string Detail { get; init; } = "";
    }

    /// <summary>Writes the case's mutated file (and its unmutated siblings) into <paramref name="folder"/>, reads it, and classifies.</summary>
    public static Result Run(FuzzCase fuzzCase, FixtureRoots roots, string folder)
    {
        var kind = FuzzKinds.Named(fuzzCase.Kind);
        Directory.CreateDirectory(folder);
        string fixture = roots.Resolve(fuzzCase.Fixture);
        string path = Path.Combine(folder, FuzzKind.CaseFileName(fuzzCase.Fixture));
        File.WriteAllBytes(path, fuzzCase.Bytes(roots));
        foreach (string sibling in kind.Siblings)
        {
            string from = Path.Combine(Path.GetDirectoryName(fixture)!, sibling);
            if (File.Exists(from)) File.Copy(from, Path.Combine(folder, sibling));
        }
        return Classify(() => kind.Read(path), path);
    }

    /// <summary>Runs <paramref name="read"/> on <paramref name="path"/>: a SleapException naming the path is clear, anything else thrown is not.</summary>
    public static Result Classify(Action read, string path)
    {
        try
        {
            read();
            return new Result(CaseOutcome.Read, "", "");
        }
        catch (SleapException ex) when (ex.Message.Contains(path, StringComparison.Ordinal))
        {
            return new Result(CaseOutcome.Clear, Signature(ex, path), ex.Message);
        }
        catch (Exception ex)
        {
            return new Result(CaseOutcome.Unclear, Signature(ex, path), ex.GetType().Name + ": " + ex.Message + " @ " + WhereThrown(ex)) { Detail = ex.ToString() };
        }
    }

    /// <summary>The exception's type and message with paths, quoted values and numbers blanked, so one bug counts once.</summary>
    public static string Signature(Exception ex, string path)
    {
        string message = ex.Message.Replace(path, "<file>").Replace(Path.GetDirectoryName(path)!, "<folder>");
        message = Quoted().Replace(message, "'…'");
        message = Numbers().Replace(message, "#");
        if (message.Length > 160) message = message[..160] + "…";
        return ex is SleapException ? $"SleapException: {message}" : $"{ex.GetType().Name}: {message} @ {WhereThrown(ex)}";
    }

    /// <summary>The innermost frame of SleapPS's own code (or the first frame) where it was thrown.</summary>
    private static string WhereThrown(Exception ex)
    {
        var frames = (ex.StackTrace ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string frame = frames.FirstOrDefault(f => f.Contains("SleapPS.Engine", StringComparison.Ordinal)) ?? frames.FirstOrDefault() ?? "?";
        int paren = frame.IndexOf('(');
        return (paren > 0 ? frame[..paren] : frame).Replace("at ", "");
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Numbers();
}
