using SleapPS.Engine.Models;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.SleapNn;

/// <summary>
/// Loads predictors from sleap-nn's trained model folders (model_ckpts/&lt;name&gt;, or any model folder) the way Import-SleapModel does
/// (Predictor.Load: training_config.yaml, best.ckpt, the network built and cached), into a temporary cache, on the CPU.
/// Loaded once per test class; disposed with it.
/// </summary>
public sealed class SleapNnTestModels : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly Dictionary<string, Predictor> _predictors = new();

    /// <summary>The predictor these sleap-nn model folders (model_ckpts/&lt;name&gt;) make, with the default inference settings.</summary>
    public Predictor Load(params string[] names) => LoadFolders(names.Select(SleapNnFixtures.ModelFolder).ToArray());

    /// <summary>The predictor these model folders (full paths, of either family) make, with the default inference settings.</summary>
    public Predictor LoadFolders(params string[] folders)
    {
        string key = string.Join("|", folders);
        lock (_predictors)
        {
            if (!_predictors.TryGetValue(key, out var predictor))
            {
                predictor = Predictor.Load(folders,
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
