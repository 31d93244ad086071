namespace SleapPS.Engine.Inference.Filtering;

/// <summary>How overlap suppression measures two instances' overlap (docs/design/labels-operations.md §7).</summary>
public enum OverlapMethod
{
    /// <summary>No overlap suppression.</summary>
    None,
    /// <summary>Intersection over union of the boxes around each instance's visible nodes.</summary>
    Iou,
    /// <summary>Object keypoint similarity, sleap-nn's simplified form (one constant 0.1 for every node, the scale from a box area).</summary>
    Oks,
}
