namespace SleapPS.Engine.Models.Keras;

/// <summary>
/// A Keras 2.x functional model read from a SLEAP <c>best_model.h5</c> (docs/design/models.md §3): the layer graph
/// from the <c>model_config</c> JSON and every layer's weights, without TensorFlow.
/// </summary>
public sealed class KerasModel
{
    internal KerasModel(string sourcePath, string kerasVersion, string name, KerasLayer inputLayer,
        IReadOnlyList<int?> inputShape, IReadOnlyList<KerasLayer> layers, IReadOnlyList<string> outputNames)
    {
        SourcePath = sourcePath;
        KerasVersion = kerasVersion;
        Name = name;
        InputName = inputLayer.Name;
        InputShape = inputShape;
        InputChannels = inputShape[^1] ?? 0;
        Layers = layers;
        OutputNames = outputNames;
    }

    /// <exception cref="SleapException">The file is missing (NotFound), not HDF5, damaged, not a Keras model,
    /// or lacks a layer's weights (InvalidData), or holds a graph this reader cannot represent (NotSupported).</exception>
    public static KerasModel Read(string h5Path) => KerasH5Reader.Read(h5Path);

    /// <summary>The full path of the .h5 file.</summary>
    public string SourcePath { get; }

    /// <summary>The root attribute <c>keras_version</c>, e.g. "2.4.0".</summary>
    public string KerasVersion { get; }

    /// <summary>The functional model's own name (e.g. "functional_1", "model").</summary>
    public string Name { get; }

    /// <summary>The Keras input layer's name (SLEAP names it "input").</summary>
    public string InputName { get; }

    /// <summary>The stored <c>batch_input_shape</c> without the batch axis: H, W, C (H and W are the training size).</summary>
    public IReadOnlyList<int?> InputShape { get; }

    public int InputChannels { get; }

    /// <summary>The output layers in Keras output order, which is the order SLEAP's <c>find_head</c> searches.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Every layer in an order where each layer comes after the layers it reads.</summary>
    public IReadOnlyList<KerasLayer> Layers { get; }

    /// <summary>The number of stored weight values over all layers.</summary>
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    public KerasLayer Layer(string name) => Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new KeyNotFoundException($"The Keras model '{SourcePath}' has no layer '{name}'.");
}
