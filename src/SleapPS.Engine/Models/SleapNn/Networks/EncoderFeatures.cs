namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// What a ConvNeXt or SwinT encoder hands to the rest of its backbone (docs/design/sleap-nn-networks.md §8):
/// its last stage's output and the skip features the decoder concatenates, all NCHW.
/// </summary>
/// <param name="Deepest">The last stage's output (SwinT: after the encoder's final LayerNorm), at stride stem·8.</param>
/// <param name="DeepestChannels">Its channel count.</param>
/// <param name="Skips">Deepest first, as sleap-nn's <c>enc_output[::2][::-1]</c>: the downsampling layers' outputs and
/// then the stem's, NOT the stages' outputs.</param>
internal sealed record EncoderFeatures(string Deepest, int DeepestChannels, IReadOnlyList<SkipFeature> Skips);

/// <summary>One skip feature: its NCHW tensor, channels and stride (relative to the network input).</summary>
internal sealed record SkipFeature(string Name, int Channels, int Stride);
