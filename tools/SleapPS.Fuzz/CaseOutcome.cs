namespace SleapPS.Fuzz;

/// <summary>What became of one case.</summary>
public enum CaseOutcome
{
    /// <summary>The reader returned data.</summary>
    Read,
    /// <summary>A SleapException whose message names the mutated file.</summary>
    Clear,
    /// <summary>Any other exception, or a SleapException whose message does not name the file.</summary>
    Unclear,
    /// <summary>The process died (a native fault, a stack overflow, an unhandled exception on another thread).</summary>
    Crash,
    /// <summary>Still running past the per-case time limit.</summary>
    Hang,
    /// <summary>The process went over the memory limit.</summary>
    OverMemory,
}
