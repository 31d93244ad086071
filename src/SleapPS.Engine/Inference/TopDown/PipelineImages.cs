using SleapPS.Engine.Inference.Core;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// The pipeline-level steps SLEAP applies to each frame before its inference model (inference.md §3.2): SizeMatcher when
/// the config asks for it, then Normalizer's colour conversion to the model's channels (still uint8). Converted pixels go
/// to buffers reused across batches; a frame needing neither step is passed through without a copy.
/// </summary>
internal sealed class PipelineImages
{
    private readonly PreprocessingConfig? _sizeConfig;
    private readonly int? _channels;
    private readonly List<byte[]> _buffers = new();
    private PreparedImage[] _images = [];

    /// <param name="sizeConfig">The config whose <c>resize_and_pad_to_target</c> drives SizeMatcher; null for no SizeMatcher (top-down multi-class).</param>
    /// <param name="channels">The channels Normalizer converts to (1 = grayscale, 3 = RGB); null for no Normalizer (top-down multi-class).</param>
    public PipelineImages(PreprocessingConfig? sizeConfig, int? channels)
    {
        _sizeConfig = sizeConfig;
        _channels = channels;
    }

    /// <summary>
    /// SizeMatcher's target when the config names none: SLEAP uses the largest height and width over all videos of
    /// the data provider. Null (the default) treats every frame as already at the target, which is what SLEAP does
    /// for a single video.
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
            _images[i] = Prepare(frames[i], i);
        Count = frames.Count;
    }

    private PreparedImage Prepare(FrameInput frame, int slot)
    {
        byte[] pixels = frame.Pixels;
        int height = frame.Height, width = frame.Width, channels = frame.Channels;
        float scale = 1f;

        var target = SizeTarget();
        if (target is { } t && (t.Height != height || t.Width != width))
        {
            var matched = ImagePreprocessor.MatchSize(pixels, height, width, channels, t.Height, t.Width);
            (pixels, height, width, scale) = (matched.Pixels, matched.Height, matched.Width, (float)matched.Scale);
        }

        if (_channels is int wanted && wanted != channels)
        {
            int pixelCount = height * width;
            var buffer = _buffers[slot];
            Growable.Ensure(ref buffer, pixelCount * wanted);
            _buffers[slot] = buffer;
            ImagePreprocessor.ConvertColour(new ReadOnlySpan<byte>(pixels, 0, pixelCount * channels), pixelCount, channels, wanted, buffer);
            (pixels, channels) = (buffer, wanted);
        }
        return new PreparedImage(pixels, height, width, channels, scale);
    }

    private (int Height, int Width)? SizeTarget()
    {
        if (_sizeConfig is not { ResizeAndPadToTarget: true })
            return null;
        if (_sizeConfig.TargetHeight is int h && _sizeConfig.TargetWidth is int w)
            return (h, w);
        return ProviderMaxSize;
    }
}
