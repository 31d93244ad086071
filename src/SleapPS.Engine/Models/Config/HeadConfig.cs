namespace SleapPS.Engine.Models.Config;

/// <summary>One output head of a model, as its training config describes it.</summary>
/// <param name="Kind">What the head predicts.</param>
/// <param name="KerasName">
/// The head class name that SLEAP's <c>find_head</c> looks for, by substring, in the Keras output layer names
/// (outputs are named after it, older models with a <c>_0</c> suffix: <c>CentroidConfmapsHead_0</c>).
/// </param>
/// <param name="OutputStride">Input pixels per output grid cell. Offset heads share their confidence-map head's stride.</param>
/// <param name="Sigma">
/// The Gaussian spread the head was trained with, in output grid units; only describes training targets.
/// NaN for heads without one (class vectors, offset refinement).
/// </param>
/// <param name="Channels">
/// One name per output channel, in channel order: part names for confidence maps (<c>"centroid"</c> for the
/// single centroid channel); <c>"A->B.x"</c>, <c>"A->B.y"</c> per edge for part affinity fields; class names
/// for class maps and vectors; <c>"A.x"</c>, <c>"A.y"</c> per confidence-map channel for offset refinement.
/// </param>
public sealed record HeadConfig(HeadKind Kind, string KerasName, int OutputStride, double Sigma, IReadOnlyList<string> Channels)
{
    /// <summary>The SLEAP head class name of each head kind (docs/design/inference.md §4).</summary>
    public static string KerasNameOf(HeadKind kind) => kind switch
    {
        HeadKind.SingleInstanceConfmaps => "SingleInstanceConfmapsHead",
        HeadKind.CentroidConfmaps => "CentroidConfmapsHead",
        HeadKind.CenteredInstanceConfmaps => "CenteredInstanceConfmapsHead",
        HeadKind.MultiInstanceConfmaps => "MultiInstanceConfmapsHead",
        HeadKind.PartAffinityFields => "PartAffinityFieldsHead",
        HeadKind.ClassMaps => "ClassMapsHead",
        HeadKind.ClassVectors => "ClassVectorsHead",
        HeadKind.OffsetRefinement => "OffsetRefinementHead",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
