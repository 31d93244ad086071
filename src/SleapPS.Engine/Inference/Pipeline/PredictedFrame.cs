using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// A frame's prediction with the frame's pixels as the predictor got them (<see cref="PredictionPipeline.RunWithImages"/>).
/// <see cref="Image"/> is lent by the pipeline until the enumeration moves on.
/// </summary>
public readonly record struct PredictedFrame(FramePrediction Prediction, FrameImage? Image);
