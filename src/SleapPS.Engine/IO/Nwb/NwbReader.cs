using PureHDF;
using SleapPS.Engine.IO.Hdf5;
using PureHDF.VOL.Native;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Nwb;

/// <summary>
/// Reads the pose estimates of an NWB file with the ndx-pose extension (docs/design/file-formats.md §14): every
/// processing module holding <c>PoseEstimation</c> groups is one video (named by <c>original_videos</c>), every
/// <c>PoseEstimation</c> one track (<c>track=&lt;name&gt;</c>, as sleap-io names them; otherwise the group's name;
/// <c>track=untracked</c> is no track), every <c>PoseEstimationSeries</c> one node. Times become frame indices
/// by rounding when no two round alike (sleap-io's timestamps are frame indices), else by rank.
/// Instances are predicted, with the confidences as point scores.
/// </summary>
public static class NwbReader
{
    /// <summary>True when the HDF5 file's root says it is an NWB file.</summary>
    public static bool IsNwb(string path)
    {
        try
        {
            using var file = CheckedHdf5.OpenRead(path);
            return file.AttributeExists("nwb_version") ||
                (file.AttributeExists("neurodata_type") && file.Attribute("neurodata_type").Read<string>() == "NWBFile");
        }
        catch (Exception)
        {
            // Not this format, or damaged (an OutOfMemoryException here is a declared size PureHDF could not
            // allocate): the .slp reader that is tried last names the file and what is wrong.
            return false;
        }
    }

    /// <exception cref="SleapException">The file has no ndx-pose pose estimates or skeleton, or a series does not fit
    /// its skeleton (InvalidData, naming the group).</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        Labels labels;
        try
        {
            using var file = CheckedHdf5.OpenRead(fullPath);
            labels = Read(file, fullPath);
        }
        catch (SleapException)
        {
            throw;
        }
        catch (OutOfMemoryException ex)
        {
            // PureHDF sizes some things (fill values, variable-length strings) before our checks can see them.
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Cannot read '{fullPath}' as NWB pose data: the HDF5 file is damaged (a header declares more data than can exist: {ex.Message}). Write it again, or copy it again.", fullPath, ex);
        }
        catch (Exception ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData, $"Cannot read '{fullPath}' as NWB pose data: {ex.Message}", fullPath, ex);
        }
        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    private static Labels Read(NativeFile file, string path)
    {
        long length = new FileInfo(path).Length;
        if (!file.LinkExists("processing"))
            throw Invalid(path, "it has no /processing group, where ndx-pose keeps pose estimates");
        var modules = file.Group("processing").Children().OfType<IH5Group>().ToList();
        var skeleton = modules.SelectMany(m => m.Children().OfType<IH5Group>())
            .Where(g => TypeOf(g, length) == "Skeletons")
            .SelectMany(g => g.Children().OfType<IH5Group>())
            .Select(g => ReadSkeleton(g, length)).FirstOrDefault()
            ?? throw Invalid(path, "it has no ndx-pose Skeleton (nodes and edges) in a Skeletons group");

        var labels = new Labels { SourcePath = path };
        labels.Skeletons.Add(skeleton);
        var tracks = new Dictionary<string, Track>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            var poses = module.Children().OfType<IH5Group>().Where(g => TypeOf(g, length) == "PoseEstimation").ToList();
            if (poses.Count == 0) continue;
            string videoName = OriginalVideo(poses[0], length) ?? module.Name;
            var video = new Video(videoName, Json.VideoJson.BackendOf(videoName));
            labels.Videos.Add(video);

            var samples = new List<(Track? Track, int Node, double Time, double X, double Y, double Confidence)>();
            foreach (var pose in poses)
            {
                Track? track = TrackOf(pose.Name, tracks, labels);
                foreach (var series in pose.Children().OfType<IH5Group>().Where(g => TypeOf(g, length) == "PoseEstimationSeries"))
                {
                    int node = skeleton.IndexOf(series.Name);
                    if (node < 0)
                        throw Invalid(path, $"the series '{module.Name}/{pose.Name}/{series.Name}' names a node that the skeleton '{skeleton.Name}' lacks (its nodes: {string.Join(", ", skeleton.NodeNames)})");
                    ReadSeries(series, $"{module.Name}/{pose.Name}/{series.Name}", path, length, (time, x, y, c) => samples.Add((track, node, time, x, y, c)));
                }
            }
            AddFrames(labels, video, skeleton, samples);
        }
        if (labels.Videos.Count == 0)
            throw Invalid(path, "no processing module holds an ndx-pose PoseEstimation");
        return labels;
    }

    private static void AddFrames(Labels labels, Video video, Skeleton skeleton, List<(Track? Track, int Node, double Time, double X, double Y, double Confidence)> samples)
    {
        var times = samples.Select(s => s.Time).Distinct().Order().ToArray();
        var rounded = times.Select(t => (long)Math.Round(t)).ToArray();
        bool roundsApart = rounded.Distinct().Count() == rounded.Length;
        var frameOf = new Dictionary<double, long>();
        for (int i = 0; i < times.Length; i++) frameOf[times[i]] = roundsApart ? rounded[i] : i;

        var instances = new Dictionary<(long Frame, Track? Track), PredictedInstance>();
        var order = new List<(long Frame, Track? Track)>();
        foreach (var s in samples)
        {
            var key = (frameOf[s.Time], s.Track);
            if (!instances.TryGetValue(key, out var instance))
            {
                instances[key] = instance = new PredictedInstance(skeleton, score: double.NaN, track: s.Track);
                order.Add(key);
            }
            instance.Points[s.Node] = new Point(s.X, s.Y, Score: s.Confidence);
        }
        var trackRank = labels.Tracks.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        foreach (var group in order.GroupBy(k => k.Frame).OrderBy(g => g.Key))
        {
            var frame = new LabeledFrame(video, group.Key,
                group.OrderBy(k => k.Track is null ? -1 : trackRank[k.Track]).Select(k => (Instance)instances[k]));
            labels.LabeledFrames.Add(frame);
        }
    }

    private static void ReadSeries(IH5Group series, string where, string path, long length, Action<double, double, double, double> sample)
    {
        if (!series.LinkExists("data")) throw Invalid(path, $"the series '{where}' has no data");
        var data = series.Dataset("data");
        ulong[] dims = data.Space.Dimensions;
        if (dims.Length != 2 || dims[1] is not (2 or 3))
            throw Invalid(path, $"the series '{where}' has data of shape ({string.Join(", ", dims)}); ndx-pose data is (frames, 2) or (frames, 3)");
        int rows = checked((int)dims[0]), columns = (int)dims[1];
        double[] xy = ReadDoubles(data, where + "/data", length);
        double[] confidence = series.LinkExists("confidence") ? ReadDoubles(series.Dataset("confidence"), where + "/confidence", length) : Enumerable.Repeat(double.NaN, rows).ToArray();
        double[] times;
        if (series.LinkExists("timestamps"))
            times = ReadDoubles(series.Dataset("timestamps"), where + "/timestamps", length);
        else
        {
            // NWB's regular sampling: starting_time, with the rate (Hz) as its attribute.
            var startingTime = series.LinkExists("starting_time") ? series.Dataset("starting_time") : null;
            double start = startingTime is null ? 0 : ReadDoubles(startingTime, where + "/starting_time", length)[0];
            double rate = startingTime is not null && startingTime.AttributeExists("rate") ? Checked(startingTime.Attribute("rate"), "rate", length).Read<double>() : 1;
            times = Enumerable.Range(0, rows).Select(i => start + i / rate).ToArray();
        }
        if (times.Length != rows || confidence.Length != rows)
            throw Invalid(path, $"the series '{where}' has {rows} positions but {times.Length} timestamps and {confidence.Length} confidences");
        for (int i = 0; i < rows; i++)
            sample(times[i], xy[i * columns], xy[i * columns + 1], confidence[i]);
    }

    /// <summary>A dataset's values as doubles, its declared shape checked against the file first (docs/design/reliability.md §3).</summary>
    private static double[] ReadDoubles(IH5Dataset dataset, string name, long length) => Checked(dataset, name, length).Type.Class switch
    {
        H5DataTypeClass.FloatingPoint when dataset.Type.Size == 4 => Array.ConvertAll(dataset.Read<float[]>(), v => (double)v),
        H5DataTypeClass.FloatingPoint => dataset.Read<double[]>(),
        _ => Array.ConvertAll(dataset.Read<long[]>(), v => (double)v),
    };

    private static Skeleton ReadSkeleton(IH5Group group, long length)
    {
        var nodes = Checked(group.Dataset("nodes"), group.Name + "/nodes", length).Read<string[]>();
        var skeleton = new Skeleton(group.Name, nodes.Select(n => new Node(n)));
        if (group.LinkExists("edges"))
        {
            var edges = Checked(group.Dataset("edges"), group.Name + "/edges", length);
            long[] indices = edges.Type.Size switch
            {
                1 => Array.ConvertAll(edges.Read<byte[]>(), v => (long)v),
                2 => Array.ConvertAll(edges.Read<ushort[]>(), v => (long)v),
                4 => Array.ConvertAll(edges.Read<uint[]>(), v => (long)v),
                _ => edges.Read<long[]>(),
            };
            for (int e = 0; e + 1 < indices.Length; e += 2)
                if (indices[e] < nodes.Length && indices[e + 1] < nodes.Length)
                    skeleton.Edges.Add(new Edge(skeleton.Nodes[(int)indices[e]], skeleton.Nodes[(int)indices[e + 1]]));
        }
        return skeleton;
    }

    private static string? OriginalVideo(IH5Group pose, long length) =>
        pose.LinkExists("original_videos") && Checked(pose.Dataset("original_videos"), pose.Name + "/original_videos", length).Read<string[]>() is { Length: > 0 } videos ? videos[0] : null;

    /// <summary>sleap-io names each PoseEstimation "track=&lt;name&gt;" ("track=untracked" for none); other writers name it freely.</summary>
    private static Track? TrackOf(string poseName, Dictionary<string, Track> tracks, Labels labels)
    {
        string name = poseName.StartsWith("track=", StringComparison.Ordinal) ? poseName["track=".Length..] : poseName;
        if (name is "untracked" or "") return null;
        if (!tracks.TryGetValue(name, out var track))
        {
            tracks[name] = track = new Track(name);
            labels.Tracks.Add(track);
        }
        return track;
    }

    private static string? TypeOf(IH5Object item, long length) =>
        item.AttributeExists("neurodata_type") ? Checked(item.Attribute("neurodata_type"), item.Name + "/neurodata_type", length).Read<string>() : null;

    private static IH5Dataset Checked(IH5Dataset dataset, string name, long length)
    {
        DeclaredExtent.Check(dataset, name, length);
        return dataset;
    }

    private static IH5Attribute Checked(IH5Attribute attribute, string name, long length)
    {
        DeclaredExtent.Check(attribute, name, length);
        return attribute;
    }

    private static SleapException Invalid(string path, string problem) =>
        new(SleapErrorKind.InvalidData, $"Cannot read '{path}' as NWB pose data: {problem}.", path);
}
