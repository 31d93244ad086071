namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// The errors a best.ckpt can give, worded in one place so every message starts the same way, names the file and
/// says what to do (docs/design/sleap-nn-checkpoint.md §6).
/// </summary>
internal static class CheckpointErrors
{
    private const string Start = "Cannot read the sleap-nn checkpoint";
    private const string CopyAgain = "Copy best.ckpt again from the folder sleap-nn trained it in.";

    public static SleapException Missing(string path) => new(SleapErrorKind.NotFound,
        $"{Start} '{path}': the file does not exist. A sleap-nn model folder holds best.ckpt next to training_config.yaml; check the path.", path);

    public static SleapException NotZip(string path) => new(SleapErrorKind.InvalidData,
        $"{Start} '{path}': it is not a PyTorch checkpoint (not a zip archive). Choose the best.ckpt that sleap-nn saved in the model folder.", path);

    public static SleapException LegacyFormat(string path) => new(SleapErrorKind.NotSupported,
        $"{Start} '{path}': it was saved in PyTorch's legacy (before 1.6) format, which SleapPS does not read. " +
        "Train or re-save the model with a current sleap-nn.", path);

    public static SleapException Damaged(string path, string what) => new(SleapErrorKind.InvalidData,
        $"{Start} '{path}': it is not a PyTorch checkpoint (its zip archive is truncated or damaged: {what}). " +
        "If it was being copied, wait for that to finish; otherwise " + char.ToLowerInvariant(CopyAgain[0]) + CopyAgain[1..], path);

    /// <summary>The file is a zip and a checkpoint, but something inside it is wrong.</summary>
    public static SleapException Invalid(string path, string what) => new(SleapErrorKind.InvalidData,
        $"{Start} '{path}': {what}. {CopyAgain}", path);

    /// <summary>A well-formed checkpoint holding something SleapPS does not read (a dtype, a byte order, a pickle feature).</summary>
    public static SleapException Unsupported(string path, string what) => new(SleapErrorKind.NotSupported,
        $"{Start} '{path}': {what}.", path);

    /// <summary>A Python name outside the allow-list (docs/design/sleap-nn-checkpoint.md §3).</summary>
    public static SleapException ForbiddenName(string path, string pythonName) => new(SleapErrorKind.InvalidData,
        $"{Start} '{path}': its pickle asks for the Python name '{pythonName}', which a model's weights never need. " +
        "SleapPS never runs code from model files, so it refuses this checkpoint. Use the best.ckpt that sleap-nn wrote, from a source you trust.", path);
}
