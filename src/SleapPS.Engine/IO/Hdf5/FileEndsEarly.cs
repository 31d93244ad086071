namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A header of the file places something past the file's end. That is what a file still being copied or written looks
/// like, as well as a damaged one, so the readers word it as "damaged or incomplete" and say to wait for the copy,
/// rather than as a file saved wrong (docs/design/reliability.md §3). InvalidDataException is sealed: the detail
/// travels in the exception's Data.
/// </summary>
public static class FileEndsEarly
{
    private const string DetailKey = "SleapPS.Hdf5.FileEndsEarly";

    /// <param name="detail">What lies past the end, with no verdict, for a reader's own sentence.</param>
    public static InvalidDataException Exception(string detail)
    {
        var exception = new InvalidDataException(detail + "; the file is damaged or incomplete.");
        exception.Data[DetailKey] = detail;
        return exception;
    }

    /// <summary>The detail of an exception <see cref="Exception"/> made; null for any other.</summary>
    public static string? DetailOf(System.Exception exception) => exception.Data[DetailKey] as string;
}
