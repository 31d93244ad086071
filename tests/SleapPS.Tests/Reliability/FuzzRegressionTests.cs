using SleapPS.Fuzz;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Reliability;

/// <summary>
/// Every mutated file that once failed the fuzz harness (an unclear error, a hang, too much memory), regenerated from
/// (fixture, mutation, seed) by the harness's own mutator (never stored), read again, and required to fail clearly with
/// the stated words (docs/design/reliability.md §1).
/// </summary>
public class FuzzRegressionTests
{
    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // .NET's "An item with the same key has already been added", naming neither file nor key.
        { "training-config-json", "sleap/models/minimal_instance.UNet.centroid/training_config.json", "json-duplicate-key", 927223946, "The key 'test_labels' appears twice in the object at 'data.labels'" },
        { "training-config-json", "sleap/models/minimal_robot.UNet.single_instance/training_config.json", "json-duplicate-key", 300752619, "appears twice" },
        { "legacy-json", "sleap/json_format_v2/minimal_instance.json", "json-duplicate-key", 1027040531, "The key '0' appears twice in the object at 'labels[]._instances[]._points'" },
        { "legacy-json", "sleap/json_format_v2/minimal_instance.json", "json-duplicate-key", 1653511852, "The key 'frame_idx' appears twice" },
        // OutOfMemoryException from a dataset shape made huge.
        { "slp", "sleap/siv_format_v1/small_robot_siv.slp", "h5-dims", 1714532447, "The dataset 'videos_json' declares the shape [2147483647] of 495-byte values, more than a file of 15704 bytes can hold even compressed" },
        { "slp", "sleap/tracks/clip.2node.slp", "h5-dims", 819991454, "The dataset 'instances' declares the shape [2147483647]" },
        // 1.3 GB resident: PureHDF allocated the root group's name heap at its damaged declared size (1.26 GB) before failing.
        { "analysis-h5", "sleap/hdf5_format_v1/small_robot.000_small_robot_3_frame.analysis.h5", "flip", 1281336240, "A group's name heap declares 1258291552 bytes at offset 25784, more than a file of 26408 bytes holds" },
        // ~1 GB resident in a worker that had run other cases: PureHDF allocated an attribute's damaged declared size
        // (22813954 values of 42 bytes) while decoding its object header, before any check could see the attribute.
        { "keras-h5", "sleap/models/min_tracks_2node.UNet.bottomup_multiclass/best_model.h5", "h5-dims", 1196407244, "An attribute declares 22813954 values of 42 bytes, more than the 88 bytes its header holds" },
        // OutOfMemoryException from the DeepLabCut table probe (DlcH5.IsPandasTable), which opened the file unchecked.
        // (Since the walk checks fill values, refused before PureHDF opens the file: the mutation made a fill value 2 GB.)
        { "slp", "sleap/slp_hdf5/small_robot_minimal.slp", "h5-dims", 139840865, "A fill value declares 2147483647 bytes, more than the 0 bytes its header holds" },
        { "slp", "sleap/siv_format_v1/small_robot_siv.slp", "flip", 800617277, "An attribute declares 1 values of 1543504139 bytes, more than the 272 bytes its header holds" },
        // ~1 GB resident in a warm worker: PureHDF allocated a compact dataset's damaged data size decoding its header.
        { "slp", "sleap/hdf5_format_v1/centered_pair_predictions.slp", "h5-dims", 462767315, "A compact dataset declares 1426063360 bytes of data, more than the 12 bytes its header holds" },
        // Files SleapPS's own writers make (GeneratedFixtures.Written, regenerated from the writers; a writer that changes
        // its bytes moves these mutations elsewhere, and a row then needs its case found again).
        // A hang: a message running past its block sent PureHDF's count of bytes left below zero, and it read past the end.
        { "sleapps-written-h5", "generated/written.nwb", "shuffle-chunks", 979551507, "A message in the object header at offset 155099 declares 29088 bytes, more than the 242 bytes left in its block" },
        // OutOfMemoryException from a variable-length string's global heap object, sized by PureHDF as it read an attribute.
        { "sleapps-written-h5", "generated/written.nwb", "h5-dtype", 1597371363, "A variable-length value in a global heap collection declares 18446744069414584345 bytes, more than the 3960 bytes left" },
        // OutOfMemoryException from the NWB reader, which read datasets without checking their shapes.
        { "sleapps-written-h5", "generated/written.nwb", "h5-dims", 1574117790, "as NWB pose data: The dataset 'SLEAP_VIDEO_000_clip/track=female/head/confidence' declares the shape [268435456]" },
        { "sleapps-written-h5", "generated/written.nwb", "h5-dims", 1110441027, "as NWB pose data: The dataset 'Skeleton-3/edges' declares the shape [1, 2147483647]" },
        // Over 1 GB in a warm worker (case 5580): a fill value's size made 256 MB, which PureHDF allocates as it decodes the header.
        { "analysis-h5", "sleap/hdf5_format_v1/small_robot.000_small_robot_3_frame.analysis.h5", "h5-dims", 586293933, "A fill value declares 268435456 bytes, more than the 0 bytes its header holds" },
        // Over 1 GB in a warm worker, now and then (alone: ~95 MB, a different error): chunk dimensions damaged to 91 GB,
        // which PureHDF cast to int and allocated (1.2 GB) for a chunk.
        { "analysis-h5", "sleap/hdf5_format_v1/small_robot.000_small_robot_3_frame.analysis.h5", "flip", 1572338045, "A dataset declares chunks of 91402272840 bytes, more than a file of 26408 bytes can hold even compressed" },
        // JsonNode's InvalidOperationException ("The node must be of type 'JsonObject'") from a node entry of the wrong type.
        { "legacy-json", "sleap/json_format_v2/minimal_instance.json", "json-wrong-type", 1017937493, "it is not a valid SLEAP JSON labels file" },
        // InvalidOperationException ("Cannot transcode invalid UTF-8 JSON text") from the COCO probe (JsonTopLevel.HasKeys),
        // which read a key name made invalid UTF-8; 68 of 10,000 cases (seed 10).
        { "legacy-json", "sleap/json_format_v2/minimal_instance.json", "flip", 1891824756, "it is not a valid SLEAP JSON labels file. The JSON text is malformed: '0x16' is invalid within a JSON string." },
        // OutOfMemoryException ("Array dimensions exceeded") from a fill-value message PureHDF sizes itself.
        // (Since the walk checks fill values, refused before PureHDF opens the file.)
        { "keras-h5", "sleap/models/min_tracks_2node.UNet.bottomup_multiclass/best_model.h5", "h5-dims", 585288366, "A fill value declares 2147483647 bytes, more than the 0 bytes its header holds" },
        // System.IO.Compression's InvalidDataException from a zip directory read lazily.
        { "sleap-nn-ckpt", "sleap-nn/model_ckpts/minimal_instance_single_instance/best.ckpt", "duplicate-chunk", 572324460, "its zip directory is missing or unreadable" },
        // Over 20 s and 1 GB building key paths of YAML nested 10^4-10^5 deep.
        { "training-config-yaml", "sleap-nn/model_ckpts/minimal_instance_centroid/training_config.yaml", "yaml-deep-nesting", 202744926, "nests lists or mappings more than 64 deep" },
        { "training-config-yaml", "sleap-nn/model_ckpts/minimal_instance_bottomup/training_config.yaml", "yaml-deep-nesting", 1314068974, "nests lists or mappings more than 64 deep" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Once_failing_case_now_fails_clearly(string kind, string fixture, string mutation, int seed, string expected)
    {
        using var dir = new TempDir();
        var roots = new FixtureRoots(Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures"), dir.File("generated"));
        GeneratedFixtures.Ensure(roots);

        var result = CaseRunner.Run(new FuzzCase(kind, 0, fixture, mutation, seed), roots, dir.File("case"));

        Assert.True(result.Outcome == CaseOutcome.Clear, $"{result.Outcome}: {result.Message}");
        Assert.Contains(dir.File("case"), result.Message);
        Assert.True(result.Message.Contains(expected, StringComparison.Ordinal), $"Expected \"{expected}\" in: {result.Message}");
    }
}
