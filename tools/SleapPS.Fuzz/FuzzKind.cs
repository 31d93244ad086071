using SleapPS.Fuzz.Mutations;

namespace SleapPS.Fuzz;

/// <summary>
/// One kind of file SleapPS reads: the fixtures its mutated copies come from, how a case folder is laid out (the
/// mutated file, and any unmutated files a reader needs beside it), and what reading it means.
/// </summary>
/// <param name="Name">The kind's name in the table and on the command line.</param>
/// <param name="Shape">What the bytes are, for the structure-aware mutations.</param>
/// <param name="Fixtures">Paths relative to the fixtures root (the folder holding sleap/ and sleap-nn/), or to the generated folder for generated fixtures.</param>
/// <param name="Siblings">Names of unmutated files copied from the fixture's folder into the case folder.</param>
/// <param name="Read">Reads the mutated file the way SleapPS does for a user, throwing what SleapPS throws.</param>
/// <param name="NativeRisk">True when the reader runs native code on the bytes (OpenCV/FFmpeg, ONNX Runtime).</param>
public sealed record FuzzKind(
    string Name,
    FileShape Shape,
    IReadOnlyList<string> Fixtures,
    IReadOnlyList<string> Siblings,
    Action<string> Read,
    bool NativeRisk = false)
{
    /// <summary>The file name a case is written as: the fixture's own (readers key on names like best.ckpt and model.onnx).</summary>
    public static string CaseFileName(string fixture) => Path.GetFileName(fixture);
}
