using System.Management.Automation;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Cmdlets;

/// <summary>Import-SleapLabels, Export-SleapLabels and ConvertTo-SleapTable in the real PowerShell engine, on SLEAP's fixtures.</summary>
public sealed class LabelsCmdletTests : IDisposable
{
    private static readonly string Predictions = Paths.Fixture("hdf5_format_v1", "centered_pair_predictions.slp");
    private static readonly string Clip = Paths.Fixture("tracks", "clip.slp");
    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");

    private readonly PowerShellHost _host = new();
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Import_reads_every_fixture_labels_file_with_its_counts()
    {
        var files = Directory.EnumerateFiles(Paths.Fixtures, "*.slp", SearchOption.AllDirectories)
            .Append(Paths.Fixture("json_format_v2", "minimal_instance.json"))
            .Append(Paths.Fixture("hdf5_format_v1", "small_robot.000_small_robot_3_frame.analysis.h5"))
            .Order(StringComparer.Ordinal).ToList();
        var result = _host.Run("$files | Import-SleapLabels", new Dictionary<string, object?> { ["files"] = files.ToArray() });
        Assert.Empty(result.Errors);
        Assert.Equal(files.Count, result.Output.Count);
        var byName = result.Output.Select(o => (Labels)o.BaseObject).ToDictionary(l => Path.GetRelativePath(Paths.Fixtures, l.SourcePath!));

        var predictions = byName[Path.Combine("hdf5_format_v1", "centered_pair_predictions.slp")];
        Assert.Equal((1100, 2274, 27, 24), (predictions.LabeledFrames.Count, predictions.InstanceCount, predictions.Tracks.Count, predictions.Skeleton!.Nodes.Count));
        var clip = byName[Path.Combine("tracks", "clip.slp")];
        Assert.Equal((1500, 3000), (clip.LabeledFrames.Count, clip.InstanceCount));
        Assert.Equal(["female", "male"], clip.Tracks.Select(t => t.Name));
        var legacy = byName[Path.Combine("json_format_v2", "minimal_instance.json")];
        Assert.Equal((1, 2), (legacy.LabeledFrames.Count, legacy.InstanceCount));
        var analysis = byName[Path.Combine("hdf5_format_v1", "small_robot.000_small_robot_3_frame.analysis.h5")];
        Assert.Equal(["top", "front", "rear"], analysis.Skeleton!.NodeNames);
    }

    [Fact]
    public void Import_finds_the_video_of_a_fixture_stored_under_SLEAPs_tests_data_path()
    {
        var labels = _host.Run($"Import-SleapLabels '{MinimalInstance}'").Single<Labels>();
        Assert.Equal("tests/data/json_format_v1/centered_pair_low_quality.mp4", labels.Videos[0].Filename);
        Assert.Equal(Paths.Fixture("json_format_v1", "centered_pair_low_quality.mp4"), labels.Videos[0].ResolvedPath);
    }

    [Fact]
    public void An_imported_video_shows_ConvertTo_Json_its_real_size_and_no_HDF5_bookkeeping()
    {
        // ConvertTo-Json (Microsoft.PowerShell.Utility, which the hosted SDK lacks; the Pester suite runs the real one)
        // writes the properties PowerShell's adapter shows: the same PSObject.Properties listed here.
        var result = _host.Run($"Import-SleapLabels '{MinimalInstance}' | ForEach-Object Videos | ForEach-Object {{ $_.PSObject.Properties }} | ForEach-Object {{ ,@($_.Name, $_.Value) }}");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var properties = result.Output.Select(o => (object[])o.BaseObject).ToDictionary(p => (string)p[0], p => p[1] is PSObject ps ? ps.BaseObject : p[1]);
        // centered_pair_low_quality.mp4: 1100 frames of 384 x 384, grayscale, at 15 fps; read from its header at import.
        Assert.Equal(1100L, properties["FrameCount"]);
        Assert.Equal(384, properties["Height"]);
        Assert.Equal(384, properties["Width"]);
        Assert.Equal(1, properties["Channels"]);
        Assert.Equal(15.0, (double)properties["Fps"]!, 3);
        Assert.Equal(true, properties["Grayscale"]);
        Assert.DoesNotContain("BackendMetadata", properties.Keys);
        Assert.All(properties.Values, v => Assert.IsNotType<System.Text.Json.Nodes.JsonNode>(v, exactMatch: false));
    }

    [Fact]
    public void Import_warns_about_a_missing_video_and_still_returns_the_labels()
    {
        var dance = Paths.Fixture("slp_hdf5", "dance.mp4.labels.slp");
        var result = _host.Run($"Import-SleapLabels -LiteralPath '{dance}'");
        var labels = result.Single<Labels>();
        Assert.False(labels.Videos[0].IsAvailable);
        Assert.Equal(450, labels.LabeledFrames.Count);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal($"The video '/home/talmolab/projects/sleap_hackathon/sleap/tests/data/videos/dance.mp4' of '{dance}' was not found beside the labels file, " +
                     "under its parent folders or in the video search paths. Its frames cannot be read; give its folder with -VideoSearchPath.", warning);
    }

    [Fact]
    public void Import_looks_in_the_video_search_paths()
    {
        // A copy of the labels in a folder of its own, whose stored video path leads nowhere from there.
        var copy = _dir.File("clip.slp");
        File.Copy(Clip, copy);
        var without = _host.Run($"Import-SleapLabels '{copy}'");
        Assert.False(without.Single<Labels>().Videos[0].IsAvailable);
        var with = _host.Run($"Import-SleapLabels '{copy}' -VideoSearchPath '{Paths.Fixture("tracks")}'");
        Assert.Empty(with.Warnings);
        Assert.Equal(Paths.Fixture("tracks", "clip.mp4"), with.Single<Labels>().Videos[0].ResolvedPath);
    }

    [Fact]
    public void Import_reports_each_bad_file_with_its_category_and_reads_the_rest()
    {
        var text = _dir.File("notes.slp");
        File.WriteAllText(text, "not a labels file");
        var truncated = _dir.File("truncated.slp");
        var bytes = File.ReadAllBytes(Predictions);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var missing = _dir.File("missing.slp");

        var result = _host.Run($"Import-SleapLabels -LiteralPath '{missing}', '{text}', '{truncated}', '{MinimalInstance}'");
        Assert.Single(result.Output);
        Assert.Equal(3, result.Errors.Count);

        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.Equal($"Cannot find path '{missing}' because it does not exist.", result.Errors[0].Exception.Message);
        Assert.Equal(missing, result.Errors[0].TargetObject);

        Assert.Equal(ErrorCategory.InvalidData, result.Errors[1].CategoryInfo.Category);
        Assert.StartsWith("LabelsReadFailed", result.Errors[1].FullyQualifiedErrorId);
        Assert.Equal($"Cannot read '{text}': it is not a SLEAP labels file. Accepted formats are SLEAP .slp files, SLEAP analysis .h5 files, NWB files with ndx-pose, the older .json / .json.zip labels, COCO keypoints .json and DeepLabCut .csv and .h5 tables.",
            result.Errors[1].Exception.Message);

        Assert.Equal(ErrorCategory.InvalidData, result.Errors[2].CategoryInfo.Category);
        Assert.StartsWith($"Cannot read '{truncated}': the HDF5 file is damaged or incomplete (", result.Errors[2].Exception.Message);
    }

    [Fact]
    public void Import_of_HDF5_that_is_not_SLEAP_says_so()
    {
        var path = _dir.File("other.h5");
        H5py.Evaluate(MinimalInstance, $"g = h5py.File({Py(path)}, 'w'); g['data'] = np.arange(3); g.close(); print('null')");
        var error = _host.RunExpectingError($"Import-SleapLabels '{path}'");
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal($"Cannot read '{path}': it is an HDF5 file but neither a SLEAP labels file (it has no 'metadata' group) nor a SLEAP analysis file. Choose a .slp or analysis .h5 file saved by SLEAP.",
            error.Exception.Message);
    }

    [Fact]
    public void Export_writes_slp_analysis_and_csv_that_read_back_equal()
    {
        var slp = _dir.File("copy.slp");
        var h5 = _dir.File("copy.analysis.h5");
        var csv = _dir.File("copy.csv");
        var result = _host.Run($"$l = Import-SleapLabels '{Predictions}'; $l | Export-SleapLabels '{slp}' -PassThru; $l | Export-SleapLabels '{h5}' -PassThru; $l | Export-SleapLabels '{csv}' -PassThru");
        Assert.Empty(result.Errors);
        Assert.Equal([slp, h5, csv], result.Output.Select(o => ((FileInfo)o.BaseObject).FullName));
        Assert.Equal(new[] { "copy.analysis.h5", "copy.csv", "copy.slp" }, _dir.Entries.Order(StringComparer.Ordinal));

        var original = LabelsReader.Read(Predictions);
        LabelsAssert.Equal(original, LabelsReader.Read(slp), foundVideoPaths: true);

        var analysis = LabelsReader.Read(h5);
        Assert.Equal(original.Tracks.Select(t => t.Name), analysis.Tracks.Select(t => t.Name));
        Assert.Equal(original.InstanceCount, analysis.InstanceCount);

        var lines = File.ReadAllLines(csv);
        Assert.Equal("track,frame_idx,instance.score," + string.Join(",", original.Skeleton!.NodeNames.Select(n => $"{n}.x,{n}.y,{n}.score")), lines[0]);
        Assert.Equal(1 + original.InstanceCount, lines.Length);
        var first = original.LabeledFrames[0].Instances.OrderBy(i => original.Tracks.IndexOf(i.Track!)).First();
        var cells = lines[1].Split(',');
        Assert.Equal(first.Track!.Name, cells[0]);
        Assert.Equal(original.LabeledFrames[0].FrameIndex, long.Parse(cells[1]));
        Assert.Equal(first.Points[0].X, double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first.Points[0].Y, double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Export_chooses_the_format_from_Format_over_the_extension()
    {
        var path = _dir.File("labels.data");
        _host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' -Format Slp");
        LabelsAssert.Equal(LabelsReader.Read(MinimalInstance), LabelsReader.Read(path), foundVideoPaths: true);
    }

    [Fact]
    public void Export_of_untracked_instances_to_analysis_keeps_every_instance_and_warns()
    {
        var path = _dir.File("minimal.analysis.h5");
        var result = _host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}'");
        Assert.Contains(result.Warnings, w => w.Contains("slot", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, LabelsReader.Read(path).InstanceCount);
    }

    [Fact]
    public void Export_with_WhatIf_writes_nothing()
    {
        var path = _dir.File("whatif.slp");
        var result = _host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' -WhatIf -PassThru");
        Assert.Empty(result.Output);
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void Export_refuses_to_replace_a_file_without_Force_and_replaces_it_with_Force()
    {
        var path = _dir.File("existing.slp");
        File.WriteAllText(path, "keep me");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}'");
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Equal($"The file '{path}' already exists. Use -Force to replace it.", error.Exception.Message);
        Assert.Equal("keep me", File.ReadAllText(path));

        _host.Run($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}' -Force");
        Assert.Equal(2, LabelsReader.Read(path).InstanceCount);
        Assert.Equal(["existing.slp"], _dir.Entries);
    }

    [Fact]
    public void Export_to_a_missing_folder_fails_naming_it_and_writes_nothing()
    {
        var folder = Path.Combine(_dir.FullName, "no-such-folder");
        var path = Path.Combine(folder, "out.slp");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}'");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal($"Cannot write '{path}': the folder '{folder}' does not exist. Create it first, or choose another output path.", error.Exception.Message);
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void Export_with_an_unknown_extension_says_which_to_use()
    {
        var path = _dir.File("labels.txt");
        var error = _host.RunExpectingError($"Import-SleapLabels '{MinimalInstance}' | Export-SleapLabels '{path}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal($"Cannot tell which format to write from the extension '.txt' of '{path}'. Use a .slp, .pkg.slp, .h5, .csv, .json or .nwb file name, or give -Format.",
            error.Exception.Message);
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void Export_of_an_empty_csv_fails_and_leaves_no_file()
    {
        var path = _dir.File("empty.csv");
        var error = _host.RunExpectingError($"$l = Import-SleapLabels '{MinimalInstance}'; $l.LabeledFrames.Clear(); $l | Export-SleapLabels '{path}'");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(_dir.Entries);
    }

    [Fact]
    public void Export_writes_one_analysis_file_per_video_named_as_SLEAP_names_them()
    {
        var path = _dir.File("two.analysis.h5");
        var result = _host.Run(
            $"$a = Import-SleapLabels '{MinimalInstance}'; $b = Import-SleapLabels '{Clip}'; " +
            "$a.Videos.AddRange($b.Videos); $a.Skeletons.AddRange($b.Skeletons); $a.Tracks.AddRange($b.Tracks); $a.LabeledFrames.AddRange($b.LabeledFrames); " +
            $"$a | Export-SleapLabels '{path}' -PassThru -WarningAction SilentlyContinue");
        Assert.Equal(
            [_dir.File("two.000_centered_pair_low_quality.analysis.h5"), _dir.File("two.001_clip.analysis.h5")],
            result.Output.Select(o => ((FileInfo)o.BaseObject).FullName));
    }

    [Fact]
    public void ConvertTo_SleapTable_flattens_points_for_Where_Object()
    {
        var result = _host.Run($"Import-SleapLabels '{Predictions}' | ConvertTo-SleapTable | Where-Object {{ $_.Node -eq 'thorax' -and $_.Track -eq '2' }}");
        var labels = LabelsReader.Read(Predictions);
        int thorax = labels.Skeleton!.IndexOf("thorax");
        var expected = labels.LabeledFrames.SelectMany(f => f.Instances.Where(i => i.Track?.Name == "2" && i.Points[thorax].IsPresent)
            .Select(i => (f.FrameIndex, i.Points[thorax].X, i.Points[thorax].Y, i.Points[thorax].Score))).ToList();
        var rows = result.Output.Select(o => (PointRow)o.BaseObject).ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(expected, rows.Select(r => (r.Frame, r.X, r.Y, r.Score)));
        Assert.All(rows, r => Assert.True(r.IsPredicted));
    }

    [Fact]
    public void ConvertTo_SleapTable_counts_present_points_or_every_point()
    {
        var labels = LabelsReader.Read(Predictions);
        int present = labels.AllInstances.Sum(i => i.PresentPointCount);
        int all = labels.AllInstances.Sum(i => i.Points.Length);
        Assert.Equal(present, _host.Run($"@(Import-SleapLabels '{Predictions}' | ConvertTo-SleapTable).Count").Single<int>());
        Assert.Equal(all, _host.Run($"@(Import-SleapLabels '{Predictions}' | ConvertTo-SleapTable -IncludeMissing).Count").Single<int>());
    }

    [Fact]
    public void ConvertTo_SleapTable_by_instance_has_SLEAPs_csv_columns()
    {
        var row = _host.Run($"Import-SleapLabels '{MinimalInstance}' | ConvertTo-SleapTable -By Instance | ForEach-Object {{ $_ }} | Where-Object Instance -eq 1").Output.Single();
        Assert.Equal(["Video", "Frame", "Track", "Instance", "IsPredicted", "Score", "TrackingScore", "A.x", "A.y", "A.score", "B.x", "B.y", "B.score"],
            row.Properties.Select(p => p.Name));
        Assert.Equal(205.9300539013689, (double)row.Properties["A.x"].Value);
        Assert.Equal(203.3658657346604, (double)row.Properties["B.y"].Value);
    }

    [Fact]
    public void Labels_videos_and_point_rows_show_as_readable_tables()
    {
        // Formatting needs a host: the runner's, which prints through Out-Default and our format file.
        var script = _dir.File("show.ps1");
        File.WriteAllText(script,
            $"$l = Import-SleapLabels '{Predictions}'\n$l | Out-Default\n$l.Videos | Out-Default\n" +
            "$l | ConvertTo-SleapTable | Where-Object { $_.Frame -eq 0 -and $_.Node -eq 'head' } | Out-Default\n");
        var text = SleapPSRunner.Run(script);
        Assert.Matches(@"Videos\s+Frames\s+Instances\s+Tracks\s+Skeleton\s+Source", text);
        Assert.Matches(@"\n1\s+1100\s+2274\s+27\s+Skeleton-count\(0\) \(24 nodes\)\s+centered_pair_predictions.slp", text);
        Assert.Matches(@"Name\s+Frames\s+Height\s+Width\s+Ch\s+Fps\s+Found\s+ResolvedPath", text);
        // The video's size comes from its file's header at import, before anything opens it.
        Assert.Matches(@"centered_pair_low_q\S*\s+1100\s+384\s+384\s+1\s+15\s+True\s+/", text);
        Assert.Matches(@"Video\s+Frame\s+Track\s+Instance\s+Node\s+X\s+Y\s+Score", text);
        Assert.Matches(@"centered_pair_l\S*\s+0\s+1\s+0\s+head\s+201\.00\s+186\.00\s+0\.826", text);
    }

    private static string Py(string path) => "'" + path.Replace("'", "\\'") + "'";
}
