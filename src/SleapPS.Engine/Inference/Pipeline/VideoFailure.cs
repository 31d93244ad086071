namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// A video whose frames could not be read (missing file, unreadable frame). The run goes on with the next video;
/// <see cref="FramesPredicted"/> frames of it were predicted before the failure.
/// </summary>
public sealed record VideoFailure(Data.Video Video, SleapException Error, long FramesPredicted);
