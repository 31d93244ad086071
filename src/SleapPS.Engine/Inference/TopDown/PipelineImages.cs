using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// The pipeline-level steps applied to each frame before its inference model, by the rules of the model whose config
/// drives them (<see cref="InferenceRules.PrepareFrame"/>): for SLEAP 1.4, SizeMatcher when the config asks for it, then
/// Normalizer's colour conversion to the model's channels, still uint8; for sleap-nn, its forced colour mode and size
/// matcher (docs/design/sleap-nn-inference.md §1 and §3 set the two side by side). Converted pixels go to buffers reused across
/// batches; a frame needing no step is passed through without a copy.
/// </summary>
internal sealed class PipelineImages
{
    private readonly InferenceRules _rules;
    private readonly PreprocessingConfig? _sizeConfig;
    private readonly int? _channels;
    private readonly List<byte[]> _buffers = new();
    private PreparedImage[] _images = [];

    /// <param name="rules">The rules of the model whose config this is.</param>
    /// <param name="sizeConfig">The config whose size settings drive size matching; null for none (SLEAP's top-down multi-class).</param>
    /// <param name="channels">The channels SLEAP's Normalizer converts to (1 = grayscale, 3 = RGB); null for no Normalizer (top-down multi-class).</param>
    public PipelineImages(InferenceRules rules, PreprocessingConfig? sizeConfig, int? channels)
    {
        _rules = rules;
        _sizeConfig = sizeConfig;
        _channels = channels;
    }

    /// <summary>
    /// SizeMatcher's target when a SLEAP 1.4 config names none: SLEAP uses the largest height and width over all videos
    /// of the data provider. Null (the default) treats every frame as already at the target, which is what SLEAP does
    /// for a single video. sleap-nn models ignore it.
    /// </summary>
    public (int Height, int Width)? ProviderMaxSize { get; set; }

    public int Count { get; private set; }

    public ref readonly PreparedImage this[int index] => ref _images[index];

    public void Prepare(IReadOnlyList<FrameInput> frames)
    {
        Growable.Ensure(ref _images, frames.Count);
        while (_buffers.Count < frames.Count)
            _buffers.Add([]);
        for (int i = 0; i < frames.Count; i++)
        {
            var buffer = _buffers[i];
            _images[i] = _rules.PrepareFrame(frames[i], _sizeConfig, ProviderMaxSize, _channels, ref buffer);
            _buffers[i] = buffer;
        }
        Count = frames.Count;
    }
}
