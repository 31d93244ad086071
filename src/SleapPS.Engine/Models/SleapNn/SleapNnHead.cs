using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Models.SleapNn;

/// <summary>
/// One head of a sleap-nn model (<c>model_config.head_configs.&lt;model type&gt;.&lt;head&gt;</c>), in the order sleap-nn
/// builds them: its index is the <c>I</c> of <c>model.head_layers.I.&lt;HeadClassName&gt;</c> in the state dict.
/// </summary>
/// <param name="Kind">Which head (its class name is <see cref="HeadConfig.KerasNameOf"/>, the same in sleap-nn).</param>
/// <param name="OutputStride">The decoder output it taps (class vectors: the stride of the backbone's deepest features).</param>
/// <param name="Channels">Output channels by name: parts, PAF edges as "src-dst" (x, y per edge: 2 channels each), classes; offsets: parts (x, y per part).</param>
/// <param name="FullyConnectedLayers">Class vectors: hidden Linear layers (num_fc_layers); 0 for other heads.</param>
/// <param name="FullyConnectedUnits">Class vectors: units per hidden layer (num_fc_units); 0 for other heads.</param>
/// <param name="GlobalPool">Class vectors: global max pooling before the Linear layers.</param>
public sealed record SleapNnHead(HeadKind Kind, int OutputStride, IReadOnlyList<string> Channels,
    int FullyConnectedLayers = 0, int FullyConnectedUnits = 0, bool GlobalPool = true)
{
    /// <summary>sleap-nn's class name for the head, as in the state dict.</summary>
    public string ClassName => HeadConfig.KerasNameOf(Kind);

    /// <summary>Number of output channels (PAFs: two per edge; offsets: two per part, as sleap-nn's OffsetRefinementHead).</summary>
    public int OutputChannels => Kind is HeadKind.PartAffinityFields or HeadKind.OffsetRefinement ? 2 * Channels.Count : Channels.Count;
}
