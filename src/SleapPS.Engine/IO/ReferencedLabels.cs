using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO;

/// <summary>What a writer needs to see of labels, without changing them.</summary>
internal static class ReferencedLabels
{
    /// <summary>
    /// A copy of the labels' lists (sharing the frames, videos, skeletons and tracks themselves) completed
    /// with everything the frames and suggestions refer to, as <see cref="Labels.CollectReferencedItems"/>
    /// would complete the labels themselves.
    /// </summary>
    public static Labels Of(Labels labels)
    {
        var scope = new Labels { SourcePath = labels.SourcePath };
        scope.Videos.AddRange(labels.Videos);
        scope.Skeletons.AddRange(labels.Skeletons);
        scope.Tracks.AddRange(labels.Tracks);
        scope.Suggestions.AddRange(labels.Suggestions);
        scope.LabeledFrames.AddRange(labels.LabeledFrames);
        foreach (var (key, value) in labels.Provenance) scope.Provenance[key] = value;
        scope.CollectReferencedItems();
        foreach (var suggestion in scope.Suggestions)
            if (!scope.Videos.Contains(suggestion.Video)) scope.Videos.Add(suggestion.Video);
        return scope;
    }
}
