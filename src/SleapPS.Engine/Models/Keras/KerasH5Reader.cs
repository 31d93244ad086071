using System.Text.Json.Nodes;
using PureHDF;
using PureHDF.VOL.Native;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.Models.Keras;

/// <summary>
/// Reads a Keras 2.x HDF5 model file (docs/design/models.md §3): the root attributes <c>model_config</c> and
/// <c>keras_version</c>, and the weights under <c>/model_weights/&lt;layer&gt;</c> listed by each group's
/// <c>weight_names</c> attribute.
/// </summary>
internal static class KerasH5Reader
{
    public static KerasModel Read(string h5Path)
    {
        string path = Path.GetFullPath(h5Path);
        if (!File.Exists(path))
            throw new SleapException(SleapErrorKind.NotFound,
                $"Cannot read the Keras model '{path}': the file does not exist. A SLEAP model folder holds best_model.h5 next to training_config.json; check the path.", path);

        bool isHdf5;
        try { isHdf5 = Hdf5Signature.IsHdf5(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read the Keras model '{path}': {ex.Message}", path, ex);
        }
        if (!isHdf5)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': it is not an HDF5 file. Choose the best_model.h5 that SLEAP saved in the model folder.", path);

        try
        {
            RequireWholeFile(path);
            using var file = CheckedHdf5.OpenRead(path);
            return ReadModel(file, path);
        }
        catch (SleapException)
        {
            throw;
        }
        catch (InvalidDataException ex) when (FileEndsEarly.DetailOf(ex) is not null)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': the HDF5 file is damaged or incomplete ({FileEndsEarly.DetailOf(ex)}). If it was being copied, wait for that to finish or copy the model folder again.", path, ex);
        }
        catch (InvalidDataException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': {ex.Message} The file is not a model SLEAP saved, or it is damaged; copy the model folder again.", path, ex);
        }
        catch (OutOfMemoryException ex)
        {
            // PureHDF sizes some header messages (fill values, names) before our checks can see them (docs/design/reliability.md §3).
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': the HDF5 file is damaged (a header declares more data than can exist: {ex.Message}). Copy the model folder again.", path, ex);
        }
        catch (Exception ex)
        {
            // PureHDF reports truncated or corrupt files with a variety of exception types.
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': the HDF5 file is damaged or incomplete ({ex.Message}). If it was being copied, wait for that to finish or copy the model folder again.", path, ex);
        }
    }

    private static void RequireWholeFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (Hdf5Length.Declared(stream) is long declared && stream.Length < declared)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': the HDF5 file is damaged or incomplete (it is {stream.Length} bytes long, but its header says {declared}). If it was being copied, wait for that to finish or copy the model folder again.", path);
    }

    private static KerasModel ReadModel(NativeFile file, string path)
    {
        if (!file.AttributeExists("model_config"))
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{path}': it is an HDF5 file but not a Keras model file (it has no 'model_config' attribute). Choose the best_model.h5 that SLEAP saved in the model folder.", path);
        long fileLength = new FileInfo(path).Length;
        string json = CheckedAttribute(file, "model_config", fileLength).Read<string>().TrimEnd('\0');
        string kerasVersion = file.AttributeExists("keras_version") ? CheckedAttribute(file, "keras_version", fileLength).Read<string>().TrimEnd('\0') : "";

        var config = KerasModelConfig.Parse(json, path);
        if (config.Inputs.Count != 1)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The Keras model '{path}' has {config.Inputs.Count} inputs; SleapPS converts SLEAP's single-image models (one input).", path);
        if (config.Outputs.Count == 0)
            throw new InvalidDataException("Its model_config lists no output layers.");

        if (!file.LinkExists("model_weights"))
            throw new InvalidDataException("It has no '/model_weights' group, so the layers have no weights.");
        IH5Group weightsGroup = file.Group("model_weights");

        var layers = new List<KerasLayer>(config.Layers.Count);
        foreach (var spec in config.Layers)
            layers.Add(new KerasLayer(spec.Name, spec.ClassName, spec.Config, spec.Inbound, ReadWeights(weightsGroup, spec, path)));

        var sorted = TopologicalOrder(layers, config.Outputs);
        var inputLayer = sorted.FirstOrDefault(l => l.Name == config.Inputs[0].Layer)
            ?? throw new InvalidDataException($"Its input layer '{config.Inputs[0].Layer}' is not among its layers.");
        return new KerasModel(path, kerasVersion, config.Name, inputLayer, InputShapeOf(inputLayer, path),
            sorted, config.Outputs.Select(o => o.Layer).ToList());
    }

    private static IReadOnlyList<int?> InputShapeOf(KerasLayer input, string path)
    {
        if (input.ClassName != "InputLayer")
            throw new InvalidDataException($"Its input layer '{input.Name}' is a {input.ClassName}, not an InputLayer.");
        if (input.Config["batch_input_shape"] is not JsonArray shape || shape.Count == 0)
            throw new InvalidDataException($"Its input layer '{input.Name}' has no batch_input_shape.");
        var dims = shape.Skip(1).Select(d => d is null ? (int?)null : d.GetValue<int>()).ToList();
        if (dims.Count != 3 || dims[2] is null)
            throw new SleapException(SleapErrorKind.NotSupported,
                $"The Keras model '{path}' takes input of shape [{string.Join(", ", shape.Select(d => d?.ToJsonString() ?? "null"))}]; SleapPS converts models that take images (batch, height, width, channels) with a known channel count.", path);
        return dims;
    }

    private static IReadOnlyList<KerasWeight> ReadWeights(IH5Group weightsGroup, KerasModelConfig.LayerSpec layer, string path)
    {
        if (!weightsGroup.LinkExists(layer.Name))
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read the Keras model '{path}': it has no weights group for layer '{layer.Name}' ({layer.ClassName}) under /model_weights. The file is incomplete or not a whole Keras model; copy the model folder again.", path);
        IH5Group group = weightsGroup.Group(layer.Name);
        if (!group.AttributeExists("weight_names"))
            return [];
        IH5Attribute namesAttribute = CheckedAttribute(group, "weight_names", new FileInfo(path).Length);
        // Keras writes an empty float64 array for a weightless layer; names are fixed-length bytes (2.4) or vlen str (2.7).
        if (namesAttribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
            return [];

        var weights = new List<KerasWeight>();
        foreach (string raw in namesAttribute.Read<string[]>())
        {
            string weightName = raw.TrimEnd('\0');
            if (!group.LinkExists(weightName))
                throw new SleapException(SleapErrorKind.InvalidData,
                    $"Cannot read the Keras model '{path}': layer '{layer.Name}' ({layer.ClassName}) lists the weight '{weightName}' but the file has no such dataset. The file is incomplete; copy the model folder again.", path);
            weights.Add(ReadWeight(group.Dataset(weightName), weightName, layer, path));
        }
        return weights;
    }

    /// <summary>An attribute whose declared size was checked against the file's (docs/design/reliability.md §3).</summary>
    private static IH5Attribute CheckedAttribute(IH5Object owner, string name, long fileLength)
    {
        var attribute = owner.Attribute(name);
        IO.Hdf5.DeclaredExtent.Check(attribute, name, fileLength);
        return attribute;
    }

    private static KerasWeight ReadWeight(IH5Dataset dataset, string weightName, KerasModelConfig.LayerSpec layer, string path)
    {
        IO.Hdf5.DeclaredExtent.Check(dataset, weightName, new FileInfo(path).Length);
        int[] shape = dataset.Space.Dimensions.Select(d => checked((int)d)).ToArray();
        IH5DataType type = dataset.Type;
        float[] values = type.Class == H5DataTypeClass.FloatingPoint && type.Size == 4 ? dataset.Read<float[]>()
            : type.Class == H5DataTypeClass.FloatingPoint && type.Size == 8 ? Array.ConvertAll(dataset.Read<double[]>(), v => (float)v)
            : throw new InvalidDataException($"The weight '{weightName}' of layer '{layer.Name}' is not a float array ({type.Class}, {type.Size} bytes).");
        return new KerasWeight(weightName, values, shape);
    }

    /// <summary>
    /// The layers in model_config order, moved only where a layer is listed before one it reads
    /// (Keras writes them topologically, so normally nothing moves). Checks every reference.
    /// </summary>
    private static IReadOnlyList<KerasLayer> TopologicalOrder(List<KerasLayer> layers, IReadOnlyList<KerasTensorRef> outputs)
    {
        var byName = new Dictionary<string, KerasLayer>(StringComparer.Ordinal);
        foreach (var layer in layers)
            if (!byName.TryAdd(layer.Name, layer))
                throw new InvalidDataException($"Its model_config has two layers named '{layer.Name}'.");
        foreach (var layer in layers)
            foreach (var source in layer.Inbound)
                if (!byName.ContainsKey(source.Layer))
                    throw new InvalidDataException($"Layer '{layer.Name}' reads '{source.Layer}', which is not a layer of the model.");
        foreach (var output in outputs)
            if (!byName.ContainsKey(output.Layer))
                throw new InvalidDataException($"Its output '{output.Layer}' is not a layer of the model.");

        var placed = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<KerasLayer>(layers.Count);
        var pending = new List<KerasLayer>(layers);
        while (pending.Count > 0)
        {
            int before = order.Count;
            for (int i = 0; i < pending.Count; i++)
            {
                var layer = pending[i];
                if (layer.Inbound.All(s => placed.Contains(s.Layer)))
                {
                    order.Add(layer);
                    placed.Add(layer.Name);
                    pending.RemoveAt(i);
                    i = -1; // restart so that model_config order is kept wherever possible
                }
            }
            if (order.Count == before)
                throw new InvalidDataException($"Its layer graph has a cycle through '{pending[0].Name}'.");
        }
        return order;
    }
}
