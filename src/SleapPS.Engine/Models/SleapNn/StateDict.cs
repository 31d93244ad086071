namespace SleapPS.Engine.Models.SleapNn;

/// <summary>
/// The weights of a sleap-nn model: the <c>state_dict</c> of its Lightning checkpoint, keyed as sleap-nn saves them
/// (<c>model.</c> + the network's own keys). Read by <see cref="Checkpoint.CheckpointReader"/>; never anything else from the file.
/// </summary>
public sealed class StateDict
{
    private readonly Dictionary<string, TorchTensor> _tensors;

    public StateDict(string sourcePath, IEnumerable<TorchTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(tensors);
        SourcePath = sourcePath;
        _tensors = new Dictionary<string, TorchTensor>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
            if (!_tensors.TryAdd(tensor.Name, tensor))
                throw new SleapException(SleapErrorKind.InvalidData, $"The checkpoint '{sourcePath}' has the weight '{tensor.Name}' twice.", sourcePath);
    }

    /// <summary>The best.ckpt the weights were read from (named in errors).</summary>
    public string SourcePath { get; }

    public IReadOnlyCollection<string> Keys => _tensors.Keys;

    public int Count => _tensors.Count;

    public bool Contains(string key) => _tensors.ContainsKey(key);

    public TorchTensor? Find(string key) => _tensors.GetValueOrDefault(key);

    /// <summary>
    /// The tensor under <paramref name="key"/> with exactly <paramref name="shape"/> (null: any shape). Throws
    /// InvalidData naming the checkpoint, the key and what the config implies when it is missing or misshapen.
    /// </summary>
    public TorchTensor Require(string key, params long[]? shape)
    {
        if (!_tensors.TryGetValue(key, out var tensor))
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The checkpoint '{SourcePath}' has no weight '{key}', which its training_config.yaml implies. " +
                "The checkpoint and the config do not belong together: copy both from the same training run folder.", SourcePath);
        if (shape is { Length: > 0 } && !tensor.Shape.SequenceEqual(shape))
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The checkpoint '{SourcePath}' has the weight '{key}' of shape [{string.Join(", ", tensor.Shape)}], but its training_config.yaml implies " +
                $"[{string.Join(", ", shape)}]. The checkpoint and the config do not belong together: copy both from the same training run folder.", SourcePath);
        return tensor;
    }

    /// <summary>The float32 values under <paramref name="key"/> (see <see cref="Require"/>).</summary>
    public float[] Floats(string key, params long[]? shape) =>
        Require(key, shape).Floats ?? throw new SleapException(SleapErrorKind.InvalidData,
            $"The checkpoint '{SourcePath}' stores '{key}' as integers; a float32 weight was expected.", SourcePath);
}
