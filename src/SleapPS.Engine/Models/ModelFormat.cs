namespace SleapPS.Engine.Models;

/// <summary>What a model was loaded from.</summary>
public enum ModelFormat
{
    /// <summary>A SLEAP 1.x model folder (training_config.json + best_model.h5), converted to ONNX by SleapPS.</summary>
    KerasHdf5,
    /// <summary>An .onnx file beside a SLEAP training_config.json, converted by the user (SleapPS's converter contract).</summary>
    Onnx,
    /// <summary>A sleap-nn export: model.onnx with export_metadata.json (or the same metadata embedded in the model).</summary>
    SleapNnOnnx,
    /// <summary>
    /// A sleap-nn model folder (best.ckpt + training_config.yaml): its weights read from the PyTorch Lightning
    /// checkpoint and built into an ONNX graph by SleapPS (docs/design/sleap-nn-config.md §8).
    /// </summary>
    SleapNnCheckpoint,
}
