using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.TopDown;

/// <summary>
/// The images crops are cut from: the pipeline images, or, with a pre-crop resize factor other than 1, those images
/// resized by it (docs/design/inference.md §9.2: TF bilinear, half-pixel centres, cast back to uint8 by truncation). Buffers are
/// reused across batches.
/// </summary>
internal sealed class CropImages
{
    private readonly List<byte[]> _buffers = new();
    private PreparedImage[] _images = [];

    public PreparedImage[] Images => _images;

    public void Prepare(PipelineImages source, double factor)
    {
        Growable.Ensure(ref _images, source.Count);
        while (_buffers.Count < source.Count)
            _buffers.Add([]);
        for (int i = 0; i < source.Count; i++)
        {
            ref readonly var image = ref source[i];
            if (factor == 1.0)
            {
                _images[i] = image;
                continue;
            }
            var (height, width) = ImagePreprocessor.ScaledSize(image.Height, image.Width, factor);
            var buffer = _buffers[i];
            Growable.Ensure(ref buffer, height * width * image.Channels);
            _buffers[i] = buffer;
            ImagePreprocessor.ResizeBilinear(image.Span, image.Height, image.Width, image.Channels,
                buffer.AsSpan(0, height * width * image.Channels), height, width);
            _images[i] = image with { Pixels = buffer, Height = height, Width = width };
        }
    }
}
