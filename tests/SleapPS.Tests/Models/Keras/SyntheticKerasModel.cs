using System.Text.Json.Nodes;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Keras;

/// <summary>
/// A small Keras 2.x functional model written by h5py the way Keras saves one (root attribute
/// model_config, /model_weights/&lt;layer&gt; groups with fixed-length weight_names), for tests that
/// check a layer's conversion against values computed by hand.
/// </summary>
public sealed class SyntheticKerasModel
{
    private readonly JsonArray _layers = new();
    private readonly JsonObject _weights = new();
    private readonly List<string> _outputs = new();

    public SyntheticKerasModel(int? height, int? width, int channels)
    {
        _layers.Add(new JsonObject
        {
            ["class_name"] = "InputLayer",
            ["config"] = new JsonObject { ["batch_input_shape"] = new JsonArray(null, height, width, channels), ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false, ["name"] = "input" },
            ["name"] = "input",
            ["inbound_nodes"] = new JsonArray(),
        });
        _weights["input"] = new JsonObject();
    }

    /// <summary>Adds a layer called on <paramref name="inbound"/>; weights are (variable, shape, row-major values).</summary>
    public SyntheticKerasModel Layer(string className, string name, JsonObject config, string[] inbound, params (string Variable, int[] Shape, float[] Values)[] weights)
    {
        config["name"] = name;
        config["trainable"] = true;
        config["dtype"] = "float32";
        var calls = new JsonArray(inbound.Select(source => (JsonNode)new JsonArray(source, 0, 0, new JsonObject())).ToArray());
        _layers.Add(new JsonObject { ["class_name"] = className, ["config"] = config, ["name"] = name, ["inbound_nodes"] = new JsonArray(calls) });
        var layerWeights = new JsonObject();
        foreach (var (variable, shape, values) in weights)
            layerWeights[$"{name}/{variable}:0"] = new JsonObject
            {
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()),
                ["values"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()),
            };
        _weights[name] = layerWeights;
        return this;
    }

    public SyntheticKerasModel Output(string name)
    {
        _outputs.Add(name);
        return this;
    }

    public string ModelConfig => new JsonObject
    {
        ["class_name"] = "Functional",
        ["config"] = new JsonObject
        {
            ["name"] = "synthetic",
            ["layers"] = _layers.DeepClone(),
            ["input_layers"] = new JsonArray(new JsonArray("input", 0, 0)),
            ["output_layers"] = new JsonArray(_outputs.Select(o => (JsonNode)new JsonArray(o, 0, 0)).ToArray()),
        },
    }.ToJsonString();

    public string Write(string path)
    {
        string spec = path + ".spec.json";
        File.WriteAllText(spec, new JsonObject { ["model_config"] = ModelConfig, ["weights"] = _weights.DeepClone() }.ToJsonString());
        string script = path + ".write.py";
        File.WriteAllText(script, """
            import sys, json, h5py, numpy as np
            spec = json.load(open(sys.argv[1]))
            with h5py.File(sys.argv[2], 'w') as f:
                f.attrs['model_config'] = spec['model_config']
                f.attrs['keras_version'] = '2.4.0'
                f.attrs['backend'] = 'tensorflow'
                group = f.create_group('model_weights')
                group.attrs['layer_names'] = np.array([n.encode() for n in spec['weights']])
                for layer, weights in spec['weights'].items():
                    g = group.create_group(layer)
                    names = list(weights)
                    g.attrs['weight_names'] = np.array([n.encode() for n in names]) if names else np.array([], dtype=np.float64)
                    for name, w in weights.items():
                        g.create_dataset(name, data=np.array(w['values'], dtype=np.float32).reshape(w['shape']))
            """);
        H5py.Run(script, spec, path);
        File.Delete(spec);
        File.Delete(script);
        return path;
    }

    public static JsonObject Config(params (string Key, JsonNode? Value)[] entries)
    {
        var config = new JsonObject();
        foreach (var (key, value) in entries) config[key] = value;
        return config;
    }

    public static JsonArray Pair(int a, int b) => new(a, b);

    /// <summary>Runs a Python snippet on a copy of a file (<c>f</c> = the file opened for writing, <c>json</c> imported).</summary>
    public static void Edit(string path, string snippet)
    {
        string script = path + ".edit.py";
        File.WriteAllText(script, "import sys, json, h5py, numpy as np\nf = h5py.File(sys.argv[1], 'r+')\n" + snippet + "\nf.close()\n");
        H5py.Run(script, path);
        File.Delete(script);
    }
}
