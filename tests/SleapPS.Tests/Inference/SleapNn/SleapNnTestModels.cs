using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Runtime;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Engine.Models.SleapNn.Networks;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// Builds predictors from sleap-nn's trained model folders (model_ckpts/&lt;name&gt;) in place: training_config.yaml read
/// by SleapNnConfig, best.ckpt by CheckpointReader, the network built by SleapNnGraphBuilder into a temporary folder,
/// run on the CPU. Loaded once per test class; disposed with it.
/// </summary>
public sealed class SleapNnTestModels : IDisposable
{
    private readonly TempDir _folder = new();
    private readonly Dictionary<string, Predictor> _predictors = new();

    /// <summary>The predictor these model folders make, with the default inference settings.</summary>
    public Predictor Load(params string[] names)
    {
        string key = string.Join("|", names);
        lock (_predictors)
        {
            if (!_predictors.TryGetValue(key, out var predictor))
            {
                var models = names.Select(Model).ToArray();
                predictor = Predictor.FromLoaded(models, ExecutionDevice.Cpu, new InferenceSettings());
                _predictors[key] = predictor;
            }
            return predictor;
        }
    }

    private SleapModel Model(string name)
    {
        string folder = SleapNnFixtures.ModelFolder(name);
        var config = SleapNnConfig.Load(Path.Combine(folder, "training_config.yaml"));
        var weights = CheckpointReader.Read(Path.Combine(folder, "best.ckpt"));
        string onnx = Path.Combine(_folder.FullName, $"{name}-{_predictors.Count}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(onnx, SleapNnGraphBuilder.Build(config.Backbone, config.Heads, weights, name));
        var training = config.ToTrainingConfig();
        var session = ModelSession.Open(onnx, ExecutionDevice.Cpu);
        return new SleapModel(training, ModelFormat.SleapNnOnnx, onnx, session,
            new ModelInputShape(null, null, config.Backbone.InChannels, training.MaxStride));
    }

    public void Dispose()
    {
        foreach (var predictor in _predictors.Values)
            predictor.Dispose();
        _folder.Dispose();
    }
}
