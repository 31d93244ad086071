namespace SleapPS.Engine;

/// <summary>What went wrong, so a host can pick its own error category (PowerShell's ErrorCategory, an exit code...).</summary>
public enum SleapErrorKind
{
    /// <summary>A file or folder that does not exist.</summary>
    NotFound,
    /// <summary>A file that exists but is not what it should be (not HDF5, not SLEAP, truncated, malformed).</summary>
    InvalidData,
    /// <summary>Something valid that this library does not handle (a format version, a video backend).</summary>
    NotSupported,
    /// <summary>A value the caller passed that cannot be used.</summary>
    InvalidArgument,
    /// <summary>Reading failed for a reason outside the data (I/O).</summary>
    ReadError,
    /// <summary>Writing failed (I/O, permissions).</summary>
    WriteError,
    /// <summary>Another run holds what this one needs (an output another process is writing).</summary>
    InUse,
}

/// <summary>
/// The one exception type the engine throws for bad input. It names the path or value at fault,
/// and its message says what is wrong and what to do.
/// </summary>
public class SleapException : Exception
{
    public SleapException(SleapErrorKind kind, string message, string? path = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Path = path;
    }

    public SleapErrorKind Kind { get; }

    /// <summary>The file or folder at fault, when there is one.</summary>
    public string? Path { get; }
}
