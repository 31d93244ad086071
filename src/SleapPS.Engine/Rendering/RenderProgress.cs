namespace SleapPS.Engine.Rendering;

/// <summary>How far a render has got: <see cref="FramesDone"/> of <see cref="FrameCount"/>, the last being <see cref="FrameIndex"/>.</summary>
public readonly record struct RenderProgress(int FramesDone, int FrameCount, long FrameIndex);
