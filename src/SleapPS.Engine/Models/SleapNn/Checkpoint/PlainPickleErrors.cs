namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// How a plain-values pickle (<see cref="RestrictedUnpickler.PlainValues"/>) reports what is wrong: the file it came
/// from and a factory that words the error for that file's format (docs/design/file-formats.md §13.2).
/// </summary>
internal sealed record PlainPickleErrors(string Path, Func<string, SleapException> Invalid);
