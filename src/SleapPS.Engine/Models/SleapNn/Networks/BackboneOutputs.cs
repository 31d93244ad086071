namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// What a backbone hands the heads (docs/design/sleap-nn-networks.md §4): the decoder's input (sleap-nn's
/// middle_output, also its intermediate_feat) and each decoder block's output with its stride.
/// </summary>
/// <param name="Middle">The deepest features, after the middle block: the decoder's input.</param>
/// <param name="MiddleStride">Their stride (sleap-nn's current_stride at the decoder's input).</param>
/// <param name="MiddleDeclaredChannels">The channels sleap-nn sizes a head on <paramref name="Middle"/> for (the decoder's x_in_shape).</param>
/// <param name="MiddleBlockFilters">The middle block's last filters (sleap-nn sizes the class-vector head with them); null when there is no middle block.</param>
/// <param name="Decoded">Each decoder block's output, coarsest first.</param>
internal sealed record BackboneOutputs(GraphTensor Middle, int MiddleStride, int MiddleDeclaredChannels, int? MiddleBlockFilters,
    IReadOnlyList<DecoderOutput> Decoded);
