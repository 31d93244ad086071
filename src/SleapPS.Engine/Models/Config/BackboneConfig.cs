namespace SleapPS.Engine.Models.Config;

/// <summary>The one non-null record of <c>model.backbone</c> (docs/design/models.md §2.5).</summary>
public sealed class BackboneConfig
{
    /// <summary>The record's key: <c>unet</c>, <c>leap</c>, <c>hourglass</c>, <c>resnet</c> or <c>pretrained_encoder</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>How many input pixels the deepest feature map spans; network inputs must be multiples of it.</summary>
    public required int MaxStride { get; init; }

    /// <summary>The backbone's own output stride field (SLEAP overwrites it with the heads' strides when building).</summary>
    public int? OutputStride { get; init; }
}
