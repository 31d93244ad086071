using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.IO;
using SleapPS.Engine.Models;
using SleapPS.Engine.Models.Config;
using SleapPS.Engine.Models.Keras;
using SleapPS.Engine.Models.Onnx;
using SleapPS.Engine.Models.SleapNn.Checkpoint;
using SleapPS.Engine.Models.SleapNn.Config;
using SleapPS.Fuzz.Mutations;

namespace SleapPS.Fuzz;

/// <summary>Every kind of file SleapPS reads, with the fixtures it is fuzzed from (docs/design/reliability.md §1).</summary>
public static class FuzzKinds
{
    /// <summary>Frames read from a video or embedded frames per case: enough to walk past a damaged index, few enough to stay quick.</summary>
    private const int FramesPerCase = 32;

    public static readonly IReadOnlyList<FuzzKind> All =
    [
        new("slp", FileShape.Hdf5,
            [
                "sleap/slp_hdf5/minimal_instance.slp", "sleap/slp_hdf5/small_robot_minimal.slp", "sleap/slp_hdf5/dance.mp4.labels.slp",
                "sleap/hdf5_format_v1/centered_pair_predictions.slp", "sleap/siv_format_v1/small_robot_siv.slp",
                "sleap/tracks/clip.2node.slp", "sleap-nn/datasets/minimal_instance.pkg.slp",
            ],
            [], ReadLabels),
        new("analysis-h5", FileShape.Hdf5, ["sleap/hdf5_format_v1/small_robot.000_small_robot_3_frame.analysis.h5"], [], ReadLabels),
        new("sleapps-written-h5", FileShape.Hdf5, GeneratedFixtures.Written, [], ReadLabels),
        new("legacy-json", FileShape.Json, ["sleap/json_format_v2/minimal_instance.json"], [], ReadLabels),
        new("training-config-json", FileShape.Json,
            [
                "sleap/models/minimal_robot.UNet.single_instance/training_config.json", "sleap/models/minimal_instance.UNet.centroid/training_config.json",
                "sleap/models/minimal_instance.UNet.centered_instance_with_scaling/training_config.json", "sleap/models/minimal_instance.UNet.bottomup/training_config.json",
                "sleap/models/min_tracks_2node.UNet.topdown_multiclass/training_config.json", "sleap/models/min_tracks_2node.UNet.bottomup_multiclass/training_config.json",
            ],
            [], path => TrainingConfig.Load(path)),
        new("training-config-yaml", FileShape.Yaml,
            [
                "sleap-nn/model_ckpts/minimal_instance_single_instance/training_config.yaml", "sleap-nn/model_ckpts/minimal_instance_centroid/training_config.yaml",
                "sleap-nn/model_ckpts/minimal_instance_bottomup/training_config.yaml", "sleap-nn/model_ckpts/minimal_instance_multiclass_centered_instance/training_config.yaml",
                "sleap-nn/synthetic/convnext_bottomup/training_config.yaml", "sleap-nn/synthetic/swint_centroid/training_config.yaml",
            ],
            [], path => SleapNnConfig.Load(path)),
        new("keras-h5", FileShape.Hdf5,
            ["sleap/models/minimal_robot.UNet.single_instance/best_model.h5", "sleap/models/min_tracks_2node.UNet.bottomup_multiclass/best_model.h5"],
            [], path => KerasOnnxConverter.Convert(KerasModel.Read(path))),
        new("sleap-nn-ckpt", FileShape.Zip,
            ["sleap-nn/model_ckpts/minimal_instance_centroid/best.ckpt", "sleap-nn/model_ckpts/minimal_instance_single_instance/best.ckpt"],
            [], path => CheckpointReader.ReadCheckpoint(path)),
        new("onnx-export", FileShape.Protobuf,
            ["sleap-nn/exports/single_instance_input_scale1/model.onnx", "sleap-nn/exports/centroid/model.onnx"],
            ["export_metadata.json", "training_config.yaml"], ReadModel, NativeRisk: true),
        new("video-mp4", FileShape.Mp4, ["sleap/videos/small_robot_3_frame.mp4", "sleap/tracks/clip.mp4"], [], ReadVideo, NativeRisk: true),
        new("video-avi", FileShape.Avi, [GeneratedFixtures.Avi], [], ReadVideo, NativeRisk: true),
    ];

    public static FuzzKind Named(string name) => All.FirstOrDefault(k => k.Name == name)
        ?? throw new ArgumentException($"No fuzz kind '{name}'; the kinds are {string.Join(", ", All.Select(k => k.Name))}.");

    /// <summary>A labels file as Import-SleapLabels reads it, then the frames it embeds, as a prediction on it would.</summary>
    private static void ReadLabels(string path)
    {
        var labels = LabelsReader.Read(path);
        foreach (Video video in labels.Videos)
        {
            if (video.Backend != VideoBackend.Hdf5 || video.ResolvedPath != path) continue;
            using var source = FrameSources.Open(video);
            ReadFrames(source);
        }
    }

    /// <summary>A model as Import-SleapModel loads it (for an export: the ONNX Runtime session, its metadata and graph checked).</summary>
    private static void ReadModel(string path)
    {
        using var model = SleapModel.Load(path, new ModelLoadOptions { CacheFolder = Path.Combine(Path.GetDirectoryName(path)!, "cache") });
    }

    /// <summary>A video as prediction opens it: its shape described, then its first frames decoded.</summary>
    private static void ReadVideo(string path)
    {
        var video = FrameSources.DescribeFile(path);
        using var source = FrameSources.Open(video);
        ReadFrames(source);
    }

    private static void ReadFrames(FrameSource source)
    {
        var frame = new byte[source.FrameByteCount];
        for (long i = 0; i < Math.Min(source.FrameCount, FramesPerCase); i++)
            source.ReadFrame(i, frame);
    }
}
