namespace SleapPS.Cmdlets;

/// <summary>How Invoke-SleapPredict reports progress, as SLEAP's progress_reporting (docs/design/batch-runs.md §5).</summary>
public enum ProgressReporting
{
    /// <summary>PowerShell's progress stream (the bar of an interactive session).</summary>
    Rich,

    /// <summary>One JSON line per report interval, to standard output or to -ProgressLog, for programs and logs.</summary>
    Json,

    /// <summary>Nothing.</summary>
    None,
}
