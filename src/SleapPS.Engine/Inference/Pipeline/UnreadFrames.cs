namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Frames of a video that could not be decoded, FirstFrame to LastFrame (inclusive, consecutive): the run predicted
/// the frames around them and made no prediction for these (docs/design/reliability.md §5).
/// </summary>
/// <param name="Error">The first frame's decoding error; for a video that ended early, the frames after the last attempt share it.</param>
public sealed record UnreadFrames(Data.Video Video, long FirstFrame, long LastFrame, SleapException Error)
{
    public long Count => LastFrame - FirstFrame + 1;

    public override string ToString() =>
        FirstFrame == LastFrame ? $"frame {FirstFrame} of '{Video.Filename}'" : $"frames {FirstFrame}-{LastFrame} of '{Video.Filename}'";
}
