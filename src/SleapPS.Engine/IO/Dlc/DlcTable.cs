using System.Globalization;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>One video's instances arranged as a DeepLabCut table: individuals (column groups) by rows (frames).</summary>
internal sealed class DlcTable
{
    private readonly Dictionary<long, Instance?[]> _slotsByFrame;
    private readonly long _lastFrame;

    private DlcTable(Video video, Skeleton skeleton, bool userLabels, List<string> individuals, bool multiAnimal, Dictionary<long, Instance?[]> slotsByFrame)
    {
        Video = video;
        Bodyparts = skeleton.NodeNames;
        HasLikelihood = !userLabels;
        Individuals = individuals;
        IsMultiAnimal = multiAnimal;
        _slotsByFrame = slotsByFrame;
        _lastFrame = slotsByFrame.Keys.Max();
        ImageNumberWidth = video.FrameCount is > 1 and long count
            ? (int)Math.Ceiling(Math.Log10(count))
            : _lastFrame.ToString(CultureInfo.InvariantCulture).Length;
    }

    public Video Video { get; }
    public IReadOnlyList<string> Bodyparts { get; }
    /// <summary>Predictions carry a likelihood column per bodypart; DLC's labelled data does not.</summary>
    public bool HasLikelihood { get; }
    public IReadOnlyList<string> Individuals { get; }
    public bool IsMultiAnimal { get; }
    /// <summary>Digits of the frame number in DLC's image names: enough for the video's frame count, as DLC pads them.</summary>
    public int ImageNumberWidth { get; }

    public readonly record struct Row(string Index, Instance?[] Slots);

    /// <summary>Labelled data: one row per labelled frame. Predictions: one row per frame from 0 to the last, as DLC writes every frame.</summary>
    public IEnumerable<Row> Rows()
    {
        var empty = new Instance?[Individuals.Count];
        if (!HasLikelihood)
        {
            string stem = VideoStem(Video);
            foreach (var (frame, slots) in _slotsByFrame.OrderBy(p => p.Key))
                yield return new Row($"labeled-data/{stem}/img{frame.ToString(CultureInfo.InvariantCulture).PadLeft(ImageNumberWidth, '0')}.png", slots);
            yield break;
        }
        for (long frame = 0; frame <= _lastFrame; frame++)
            yield return new Row(frame.ToString(CultureInfo.InvariantCulture), _slotsByFrame.GetValueOrDefault(frame) ?? empty);
    }

    /// <summary>The stem of a video's file name: DLC's labelled-data folder and prediction files are named after it.</summary>
    public static string VideoStem(Video video)
    {
        string name = video.Filename.Replace('\\', '/');
        return Path.GetFileNameWithoutExtension(name[(name.LastIndexOf('/') + 1)..]);
    }

    public static DlcTable Build(Labels labels, Video? video, string path, Action<string>? warn)
    {
        var scope = ReferencedLabels.Of(labels);
        video ??= scope.Videos.FirstOrDefault();
        var skeleton = scope.Skeletons.FirstOrDefault();
        var frames = scope.LabeledFrames.Where(f => ReferenceEquals(f.Video, video)).ToList();
        if (video is null || skeleton is null || frames.All(f => f.Instances.Count == 0))
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot export '{path}': the labels have no instances{(video is null ? "" : $" on '{video.Filename}'")}, so there is nothing to write.", path);

        var instances = frames.SelectMany(f => f.Instances).ToList();
        int otherSkeleton = instances.Count(i => !ReferenceEquals(i.Skeleton, skeleton));
        if (otherSkeleton > 0)
            warn?.Invoke($"'{path}': {otherSkeleton} instances of other skeletons than '{skeleton.Name}' are left out; a DeepLabCut table has one set of bodyparts.");
        bool userLabels = instances.Any(i => !i.IsPredicted && ReferenceEquals(i.Skeleton, skeleton));
        if (userLabels && instances.Any(i => i.IsPredicted))
            warn?.Invoke($"'{path}': predicted instances are left out; the table holds the user labels (DeepLabCut's labelled data).");

        bool Kept(Instance i) => ReferenceEquals(i.Skeleton, skeleton) && i.IsPredicted != userLabels;
        var kept = frames.Select(f => (Frame: f, Instances: f.Instances.Where(Kept).ToList())).Where(p => p.Instances.Count > 0).ToList();
        if (kept.Count == 0)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"Cannot export '{path}': no instance of '{video.Filename}' has the skeleton '{skeleton.Name}', so there is nothing to write.", path);

        bool tracked = kept.Any(p => p.Instances.Any(i => i.Track is not null));
        int mostPerFrame = kept.Max(p => p.Instances.Count);
        var slotsByFrame = new Dictionary<long, Instance?[]>();
        List<string> individuals;
        if (tracked)
        {
            var tracks = scope.Tracks.Where(t => kept.Any(p => p.Instances.Any(i => i.Track == t))).ToList();
            individuals = tracks.Select(t => t.Name).ToList();
            int untracked = 0;
            foreach (var (frame, list) in kept)
            {
                var slots = slotsByFrame.GetValueOrDefault(frame.FrameIndex) ?? new Instance?[tracks.Count];
                foreach (var instance in list)
                {
                    int slot = instance.Track is null ? -1 : tracks.IndexOf(instance.Track);
                    if (slot < 0 || slots[slot] is not null) { untracked++; continue; }
                    slots[slot] = instance;
                }
                slotsByFrame[frame.FrameIndex] = slots;
            }
            if (untracked > 0)
                warn?.Invoke($"'{path}': {untracked} instances without a track (or sharing a track on one frame) are left out; DeepLabCut's columns are one per individual.");
        }
        else
        {
            // Untracked instances fill individuals in their order on the frame, named as DLC names unnamed animals.
            individuals = Enumerable.Range(1, mostPerFrame).Select(k => $"individual{k}").ToList();
            foreach (var (frame, list) in kept)
            {
                var slots = slotsByFrame.GetValueOrDefault(frame.FrameIndex) ?? new Instance?[mostPerFrame];
                for (int k = 0, s = 0; k < list.Count && s < mostPerFrame; s++)
                    if (slots[s] is null) slots[s] = list[k++];
                slotsByFrame[frame.FrameIndex] = slots;
            }
        }
        return new DlcTable(video, skeleton, userLabels, individuals, tracked || mostPerFrame > 1, slotsByFrame);
    }
}
