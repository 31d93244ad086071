using SleapPS.Tests.Support;

namespace SleapPS.Tests.Models.Runtime;

/// <summary>The seven fixture models, and damaged copies of them in a temp folder.</summary>
internal static class ModelFolders
{
    public const string Centroid = "minimal_instance.UNet.centroid";
    public const string CenteredInstance = "minimal_instance.UNet.centered_instance";
    public const string CenteredInstanceWithScaling = "minimal_instance.UNet.centered_instance_with_scaling";
    public const string BottomUp = "minimal_instance.UNet.bottomup";
    public const string SingleInstance = "minimal_robot.UNet.single_instance";
    public const string BottomUpMultiClass = "min_tracks_2node.UNet.bottomup_multiclass";
    public const string TopDownMultiClass = "min_tracks_2node.UNet.topdown_multiclass";

    public static readonly string[] All = [SingleInstance, Centroid, CenteredInstance, CenteredInstanceWithScaling, BottomUp, BottomUpMultiClass, TopDownMultiClass];

    public static string Path(string name) => Paths.Fixture("models", name);

    /// <summary>A copy of a model's training_config.json and best_model.h5 in <paramref name="parent"/>/<paramref name="name"/>.</summary>
    public static string Copy(string name, string parent, bool withKeras = true)
    {
        string folder = System.IO.Path.Combine(parent, name);
        Directory.CreateDirectory(folder);
        File.Copy(System.IO.Path.Combine(Path(name), "training_config.json"), System.IO.Path.Combine(folder, "training_config.json"));
        if (withKeras)
            File.Copy(System.IO.Path.Combine(Path(name), "best_model.h5"), System.IO.Path.Combine(folder, "best_model.h5"));
        return folder;
    }

    /// <summary>Cuts best_model.h5 of a copied folder to its first 100 kB: the header and model_config survive, the layer weights do not.</summary>
    public static string Truncate(string folder)
    {
        string h5 = System.IO.Path.Combine(folder, "best_model.h5");
        using var stream = new FileStream(h5, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(100_000);
        return h5;
    }

    /// <summary>Renames the class of Keras layer <paramref name="layer"/> in a copied best_model.h5's model_config, with h5py.</summary>
    public static string ChangeLayerClass(string folder, string layer, string className)
    {
        string h5 = System.IO.Path.Combine(folder, "best_model.h5");
        const string script = """
            import sys, json, h5py
            path, layer, cls = sys.argv[1:4]
            with h5py.File(path, 'r+') as f:
                config = json.loads(f.attrs['model_config'])
                hits = [l for l in config['config']['layers'] if l['name'] == layer]
                assert len(hits) == 1, f'no layer {layer}'
                hits[0]['class_name'] = cls
                f.attrs['model_config'] = json.dumps(config)
            """;
        ExternalProcess.Run(H5py.Python, ["-c", script, h5, layer, className]).StdoutOrFail();
        return h5;
    }
}
