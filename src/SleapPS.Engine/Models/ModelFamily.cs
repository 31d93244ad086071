namespace SleapPS.Engine.Models;

/// <summary>
/// Whose inference rules a model follows. SLEAP 1.4's Keras models keep SLEAP 1.4's;
/// models trained by sleap-nn (SLEAP 1.5+) follow sleap-nn's, which differ in pixel offsets, crop geometry, resizing
/// and scores (docs/design/sleap-nn-inference.md).
/// </summary>
public enum ModelFamily
{
    /// <summary>SLEAP 1.4 (TensorFlow/Keras): best_model.h5 + training_config.json.</summary>
    Sleap,
    /// <summary>sleap-nn (PyTorch, SLEAP 1.5+): best.ckpt + training_config.yaml, or sleap-nn's ONNX export.</summary>
    SleapNn,
}
