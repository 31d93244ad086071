namespace SleapPS.Engine.Models.Config;

/// <summary>The kinds of output head a SLEAP network has (docs/design/inference.md §4), one per Keras output.</summary>
public enum HeadKind
{
    SingleInstanceConfmaps,
    CentroidConfmaps,
    CenteredInstanceConfmaps,
    MultiInstanceConfmaps,
    PartAffinityFields,
    ClassMaps,
    ClassVectors,
    OffsetRefinement,
}
