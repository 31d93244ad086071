namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// Reads the weights of a sleap-nn model from its best.ckpt, a PyTorch Lightning checkpoint
/// (docs/design/sleap-nn-checkpoint.md). Nothing from the file is ever executed: the pickle is read by
/// <see cref="RestrictedUnpickler"/>, which builds .NET values only and refuses every Python name it does not know.
/// </summary>
public static class CheckpointReader
{
    /// <summary>The checkpoint's <c>state_dict</c>, keyed as stored (<c>model.backbone...</c>).</summary>
    public static StateDict Read(string ckptPath) => ReadCheckpoint(ckptPath).StateDict;

    /// <summary>The state dict with Lightning's version, epoch and global step.</summary>
    public static TorchCheckpoint ReadCheckpoint(string ckptPath)
    {
        ArgumentNullException.ThrowIfNull(ckptPath);
        using var archive = CheckpointArchive.Open(ckptPath);
        archive.CheckByteOrder();
        var top = new RestrictedUnpickler(archive.ReadPickle(), ckptPath, id => PersistentIds.Load(archive, id)).Load();
        if (top is not PickleDict checkpoint)
            throw CheckpointErrors.Invalid(ckptPath, $"its pickle holds {PickleCalls.Describe(top)}, not the dict a Lightning checkpoint saves");
        if (!checkpoint.TryGet("state_dict", out var weights))
            throw CheckpointErrors.Invalid(ckptPath, "it has no state_dict, so it holds no model weights (is it a Lightning checkpoint saved by sleap-nn?)");
        if (weights is not PickleDict stateDict)
            throw CheckpointErrors.Invalid(ckptPath, $"its state_dict is {PickleCalls.Describe(weights)}, not a dict of tensors");
        return new TorchCheckpoint(
            new StateDict(ckptPath, ReadTensors(archive, stateDict, ckptPath)),
            checkpoint.TryGet("pytorch-lightning_version", out var version) ? version as string : null,
            checkpoint.TryGet("epoch", out var epoch) ? epoch as long? : null,
            checkpoint.TryGet("global_step", out var step) ? step as long? : null);
    }

    // Only the state dict's tensors are read from their storages; anything else there is refused (§3.3).
    private static List<TorchTensor> ReadTensors(CheckpointArchive archive, PickleDict stateDict, string path)
    {
        var tensors = new List<TorchTensor>(stateDict.Count);
        foreach (var (key, value) in stateDict.Items)
        {
            if (key is not string name)
                throw CheckpointErrors.Invalid(path, $"its state_dict has a key that is {PickleCalls.Describe(key)}, not a string");
            if (value is not TensorRecipe tensor)
                throw CheckpointErrors.Invalid(path,
                    $"its state_dict holds {PickleCalls.Describe(value)} under '{name}', where only tensors belong");
            tensors.Add(TensorMaterializer.Materialize(name, tensor, archive.ReadStorage(tensor.Storage)));
        }
        return tensors;
    }
}
