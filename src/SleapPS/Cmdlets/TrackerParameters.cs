using SleapPS.Engine;
using SleapPS.Engine.Tracking;

namespace SleapPS.Cmdlets;

/// <summary>
/// The tracker options as cmdlets take them: SLEAP's spellings (simplemaxtracks,
/// normalized_instance, object_keypoint) turned into the engine's kinds. Shared by every cmdlet
/// with tracker parameters.
/// </summary>
public static class TrackerParameters
{
    public const string Simple = "simple", Flow = "flow", SimpleMaxTracks = "simplemaxtracks", FlowMaxTracks = "flowmaxtracks", None = "none";
    public const string Instance = "instance", NormalizedInstance = "normalized_instance", Centroid = "centroid", Iou = "iou", ObjectKeypoint = "object_keypoint";
    public const string Greedy = "greedy", Hungarian = "hungarian";
    public const string All = "all", Ref = "ref", Union = "union";

    public static TrackerKind TrackerOf(string name) => name.ToLowerInvariant() switch
    {
        Simple => TrackerKind.Simple,
        Flow => TrackerKind.Flow,
        SimpleMaxTracks => TrackerKind.SimpleMaxTracks,
        FlowMaxTracks => TrackerKind.FlowMaxTracks,
        None => TrackerKind.None,
        _ => throw Invalid($"{name} is not a valid tracker.", "Use simple, flow, simplemaxtracks, flowmaxtracks or none."),
    };

    public static SimilarityKind SimilarityOf(string name) => name.ToLowerInvariant() switch
    {
        Instance => SimilarityKind.Instance,
        NormalizedInstance => SimilarityKind.NormalizedInstance,
        Centroid => SimilarityKind.Centroid,
        Iou => SimilarityKind.Iou,
        ObjectKeypoint => SimilarityKind.ObjectKeypoint,
        _ => throw Invalid($"{name} is not a valid tracker similarity function.", "Use instance, normalized_instance, centroid, iou or object_keypoint."),
    };

    public static MatchKind MatchOf(string name) => name.ToLowerInvariant() switch
    {
        Greedy => MatchKind.Greedy,
        Hungarian => MatchKind.Hungarian,
        _ => throw Invalid($"{name} is not a valid tracker matching function.", "Use greedy or hungarian."),
    };

    public static OksNormalization OksNormalizationOf(string name) => name.ToLowerInvariant() switch
    {
        All => OksNormalization.All,
        Ref => OksNormalization.Ref,
        Union => OksNormalization.Union,
        _ => throw Invalid($"{name} is not a valid object keypoint normalization.", "Use all, ref or union."),
    };

    private static SleapException Invalid(string sleapMessage, string whatToDo) => new(SleapErrorKind.InvalidArgument, sleapMessage + " " + whatToDo);
}
