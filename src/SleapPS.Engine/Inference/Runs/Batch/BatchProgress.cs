using SleapPS.Engine.Inference.Pipeline;

namespace SleapPS.Engine.Inference.Runs.Batch;

/// <summary>Where a batch stands: the video being predicted (1-based position of all) and its progress.</summary>
public sealed record BatchProgress(int VideoNumber, int VideoCount, string Video, PredictionProgress Frames);
