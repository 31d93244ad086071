namespace SleapPS.Engine.Data;

/// <summary>A frame SLEAP suggests for labelling, optionally in a numbered group.</summary>
public sealed record SuggestionFrame(Video Video, long FrameIndex, int? Group = null);
