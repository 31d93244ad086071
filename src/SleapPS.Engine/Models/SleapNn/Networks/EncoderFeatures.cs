namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// What a ConvNeXt or SwinT encoder hands to the rest of its backbone (docs/design/sleap-nn-networks.md §8.3, §9.2):
/// its last stage's output and the skip features the decoder concatenates, all NCHW.
/// </summary>
/// <param name="Deepest">The last stage's output (SwinT: after the encoder's final LayerNorm), at stride stem·8.</param>
/// <param name="Skips">Deepest first, as sleap-nn's <c>enc_output[::2][::-1]</c>: the downsampling layers' outputs and
/// then the stem's, NOT the stages' outputs. With 4 stages: strides stem·8, stem·4, stem·2, stem.</param>
internal sealed record EncoderFeatures(GraphTensor Deepest, IReadOnlyList<GraphTensor> Skips);
