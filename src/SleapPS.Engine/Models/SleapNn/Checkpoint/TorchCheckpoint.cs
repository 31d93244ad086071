namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// What SleapPS takes from a sleap-nn best.ckpt: the weights, and the few plain facts Lightning stores beside them
/// (null when the checkpoint lacks them or stores something other than a plain value).
/// </summary>
public sealed record TorchCheckpoint(StateDict StateDict, string? LightningVersion, long? Epoch, long? GlobalStep);
