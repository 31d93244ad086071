namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// torch.save's persistent ids: <c>('storage', torch.&lt;Type&gt;Storage, key, location, numel)</c> names the raw
/// storage <c>data/&lt;key&gt;</c> (docs/design/sleap-nn-checkpoint.md §2). The device location is ignored: weights
/// saved on a GPU or Apple's mps read the same.
/// </summary>
internal static class PersistentIds
{
    public static StorageRef Load(CheckpointArchive archive, object? id)
    {
        if (id is not object?[] { Length: 5 } fields || fields[0] is not "storage")
            throw CheckpointErrors.Invalid(archive.Path, $"its pickle names a persistent object ({PickleCalls.Describe(id)}) that is not a tensor storage");
        if (fields[1] is not PickleGlobal { Role: GlobalRole.StorageType, Storage: { } type })
            throw CheckpointErrors.Invalid(archive.Path, $"its pickle names a storage of type {PickleCalls.Describe(fields[1])}");
        if (fields[2] is not string key || key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.') || key.Contains(".."))
            throw CheckpointErrors.Invalid(archive.Path, $"its pickle names a storage by {PickleCalls.Describe(fields[2])} that is not a plain entry name");
        if (fields[4] is not long count)
            throw CheckpointErrors.Invalid(archive.Path, $"its storage '{key}' has an element count that is {PickleCalls.Describe(fields[4])}");
        return archive.DeclareStorage(key, type, count);
    }
}
