namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// A video whose frames could not be read (missing file, unreadable frame). The run goes on with the next video;
/// <see cref="FramesPredicted"/> frames of it were predicted before the failure; <see cref="FrameIndex"/> is the frame
/// that could not be read (null when the video could not be opened).
/// </summary>
public sealed record VideoFailure(Data.Video Video, SleapException Error, long FramesPredicted, long? FrameIndex = null);
