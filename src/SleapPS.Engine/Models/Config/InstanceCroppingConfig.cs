namespace SleapPS.Engine.Models.Config;

/// <summary><c>data.instance_cropping</c> of a training config (docs/design/models.md §2.2).</summary>
public sealed class InstanceCroppingConfig
{
    /// <summary>The node that centres ground-truth crops; null means the bounding-box midpoint.</summary>
    public string? CenterOnPart { get; init; }

    /// <summary>The top-down crop side in scaled pixels (from a centered-instance model); null when never resolved.</summary>
    public int? CropSize { get; init; }
}
