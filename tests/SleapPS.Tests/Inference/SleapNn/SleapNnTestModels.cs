using SleapPS.Engine.Models;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// Loads predictors from sleap-nn's trained model folders (model_ckpts/&lt;name&gt;) the way Import-SleapModel does
/// (Predictor.Load: training_config.yaml, best.ckpt, the network built and cached), into a temporary cache, on the CPU.
/// Loaded once per test class; disposed with it.
/// </summary>
public sealed class SleapNnTestModels : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly Dictionary<string, Predictor> _predictors = new();

    /// <summary>The predictor these model folders make, with the default inference settings.</summary>
    public Predictor Load(params string[] names)
    {
        string key = string.Join("|", names);
        lock (_predictors)
        {
            if (!_predictors.TryGetValue(key, out var predictor))
            {
                predictor = Predictor.Load(names.Select(SleapNnFixtures.ModelFolder).ToArray(),
                    new ModelLoadOptions { CacheFolder = _cache.FullName, Device = ExecutionDevice.Cpu }, new InferenceSettings());
                _predictors[key] = predictor;
            }
            return predictor;
        }
    }

    public void Dispose()
    {
        foreach (var predictor in _predictors.Values)
            predictor.Dispose();
        _cache.Dispose();
    }
}
