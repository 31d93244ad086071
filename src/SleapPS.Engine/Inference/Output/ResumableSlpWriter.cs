using System.Globalization;
using System.Text.RegularExpressions;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;
using SleapPS.Engine.Frames;

namespace SleapPS.Engine.Inference.Output;

/// <summary>
/// Writes predictions to a .slp file as they come, so that a long run keeps what it did when it is interrupted and a
/// rerun of the same command continues where it stopped.
/// </summary>
/// <remarks>
/// <para>
/// PureHDF writes a file in one go and cannot extend a dataset, so a .slp cannot grow frame by frame. Instead:
/// </para>
/// <list type="number">
/// <item>Predictions are held for one part (<see cref="FramesPerPart"/> frames); a full part is written as a complete,
/// small .slp, <c>&lt;output&gt;.parts/part-000001.slp</c>, through <see cref="SlpWriter"/> (temporary file, then a
/// move), so a part is whole or absent. Its provenance key <c>sleapps_part</c> lists the frames it covers, per video,
/// as ranges ("0-499"), including frames that had no instances.</item>
/// <item><c>&lt;output&gt;.parts/run.json</c> describes the run (models, settings, inputs, frames). A rerun with the same
/// output path reads it: the same run resumes; a different one is refused rather than mixed in.</item>
/// <item>On resume, the frames of the parts found are skipped (<see cref="IsDone"/>): they are not even decoded.</item>
/// <item>When all frames are done, <see cref="Complete"/> reads the parts in order, writes the final .slp (again
/// through a temporary file, one part at a time: <see cref="SlpPartsMerger"/>) and deletes the parts folder. An interrupted run writes the frames it holds as one
/// last part (<see cref="Suspend"/>) and leaves the output file untouched.</item>
/// </list>
/// <para>
/// Memory while predicting and while merging is one part, however long the run. Only a run that must see all its
/// frames at once before writing them (<see cref="CompleteInMemory"/>: re-tracking a resumed run) holds them all.
/// </para>
/// </remarks>
public sealed class ResumableSlpWriter
{
    public const int DefaultFramesPerPart = 500;

    /// <summary>The provenance key of a part that lists its frames.</summary>
    public const string PartProvenanceKey = "sleapps_part";

    private const string RunFileName = "run.json";
    private static readonly Regex PartName = new(@"^part-(\d{6})\.slp$", RegexOptions.CultureInvariant);

    private readonly Skeleton _skeleton;
    private readonly IReadOnlyList<Video> _videos;
    private readonly bool _dropEmptyFrames;
    private readonly DoneFrames _done = new();
    private readonly List<FramePrediction> _pending = new();
    private int _partCount;

    /// <param name="outputPath">The final .slp file.</param>
    /// <param name="skeleton">The predictor's skeleton.</param>
    /// <param name="videos">The videos predicted on, in order: the final file lists them so.</param>
    /// <param name="runDescription">Text that identifies the run (models, settings, inputs, frames): a rerun resumes only when it is the same.</param>
    /// <param name="dropEmptyFrames">Leave frames without instances out of the file (they still count as done).</param>
    /// <param name="framesPerPart">Frames per part file.</param>
    /// <exception cref="SleapException">
    /// InvalidArgument when the parts folder holds parts of a different run; WriteError / NotFound when it cannot be written.
    /// </exception>
    public ResumableSlpWriter(string outputPath, Skeleton skeleton, IReadOnlyList<Video> videos, string runDescription,
        bool dropEmptyFrames, int framesPerPart = DefaultFramesPerPart)
    {
        ArgumentNullException.ThrowIfNull(skeleton);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(runDescription);
        if (framesPerPart < 1) throw new ArgumentOutOfRangeException(nameof(framesPerPart), framesPerPart, "A part holds at least one frame.");
        OutputPath = Path.GetFullPath(outputPath);
        PartsFolder = PartsFolderOf(OutputPath);
        _skeleton = skeleton;
        _videos = videos;
        _dropEmptyFrames = dropEmptyFrames;
        FramesPerPart = framesPerPart;
        OpenPartsFolder(runDescription);
    }

    public string OutputPath { get; }

    /// <summary>Where the parts of an unfinished run are kept: the output path with ".parts" added.</summary>
    public string PartsFolder { get; }

    public int FramesPerPart { get; }

    /// <summary>Frames finished by earlier runs of this command (0 for a fresh run).</summary>
    public long ResumedFrames => _done.Count;

    /// <summary>Parts written so far, by earlier runs and this one.</summary>
    public int PartCount => _partCount;

    /// <summary>The parts folder of an output path.</summary>
    public static string PartsFolderOf(string outputPath) => Path.GetFullPath(outputPath) + ".parts";

    /// <summary>True when an earlier run already predicted this frame: skip it.</summary>
    public bool IsDone(Video video, long frameIndex) => _done.Contains(video.Filename, frameIndex);

    /// <summary>Adds one frame's prediction; writes a part when <see cref="FramesPerPart"/> frames are held.</summary>
    public void Add(FramePrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        _pending.Add(prediction);
        if (_pending.Count >= FramesPerPart) WritePart();
    }

    /// <summary>Writes the frames held as a last part, so that a rerun resumes after them. The output file is not touched.</summary>
    public void Suspend() => WritePart();

    /// <summary>
    /// Writes the frames held, merges every part in order into the output .slp (replacing it, atomically) and deletes
    /// the parts folder. The merge holds one part at a time, so memory does not grow with the length of the run.
    /// </summary>
    /// <param name="provenance">The run's provenance.</param>
    /// <param name="dropEmptyFrames">Also leave out the frames without instances that the parts kept (a tracked run keeps
    /// them so that a resumed run can track every frame again).</param>
    /// <param name="partMerged">Parts merged so far (0 when the merge starts), of all parts.</param>
    /// <param name="cancellationToken">Stops the merge: the output is left as it was and the parts folder kept, so a rerun merges again.</param>
    /// <exception cref="OperationCanceledException">Stopped before the output was replaced.</exception>
    public void Complete(IReadOnlyDictionary<string, object?> provenance, bool dropEmptyFrames = false,
        Action<int, int>? partMerged = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        WritePart();
        try
        {
            SlpPartsMerger.Merge(PartFiles().ToList(), OutputPath, _skeleton, _videos, provenance, dropEmptyFrames || _dropEmptyFrames,
                partWritten: partMerged, cancellationToken: cancellationToken);
        }
        catch (SleapException ex) when (ex.Kind == SleapErrorKind.InvalidData)
        {
            throw WithStartOverAdvice(ex);
        }
        Directory.Delete(PartsFolder, recursive: true);
    }

    /// <summary>
    /// As <see cref="Complete(IReadOnlyDictionary{string, object?}, bool)"/>, for a run whose frames must all be seen
    /// together before they are written (re-tracking a resumed run): the merged labels are held in memory, changed by
    /// <paramref name="beforeWrite"/>, written and returned.
    /// </summary>
    public Labels CompleteInMemory(IReadOnlyDictionary<string, object?> provenance, Action<Labels> beforeWrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(beforeWrite);
        WritePart();
        var reader = new SlpPartFrames(_skeleton, _videos);
        var builder = new PredictionLabelsBuilder(_skeleton, _videos, dropEmptyFrames: false);
        foreach (string part in PartFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<LabeledFrame> frames;
            try
            {
                frames = reader.Read(part, dropEmptyFrames: false);
            }
            catch (SleapException ex) when (ex.Kind == SleapErrorKind.InvalidData)
            {
                throw WithStartOverAdvice(ex);
            }
            builder.Labels.LabeledFrames.AddRange(frames);
        }
        var merged = builder.Finish(provenance);
        beforeWrite(merged);
        cancellationToken.ThrowIfCancellationRequested();
        SlpWriter.Write(merged, OutputPath);
        Directory.Delete(PartsFolder, recursive: true);
        return merged;
    }

    /// <summary>A part that cannot be used: the run cannot finish from its parts, only start over.</summary>
    private SleapException WithStartOverAdvice(SleapException ex) =>
        new(ex.Kind, $"{ex.Message} Delete '{PartsFolder}' and run again.", ex.Path, ex);

    private void OpenPartsFolder(string runDescription)
    {
        string runFile = Path.Combine(PartsFolder, RunFileName);
        if (Directory.Exists(PartsFolder))
        {
            string? earlier = File.Exists(runFile) ? File.ReadAllText(runFile) : null;
            if (earlier != runDescription)
                throw new SleapException(SleapErrorKind.InvalidArgument,
                    $"The folder '{PartsFolder}' holds the parts of an unfinished run that predicted differently (other models, settings, videos or frames). " +
                    $"Run that command again to finish it, delete the folder to start over, or choose another output path.", PartsFolder);
            foreach (string part in PartFiles())
            {
                ReadDoneFrames(part);
                _partCount++;
            }
            return;
        }
        try
        {
            Directory.CreateDirectory(PartsFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.WriteError, $"Cannot create the folder '{PartsFolder}' for the output's parts: {ex.Message}", PartsFolder, ex);
        }
        AtomicFile.Write(runFile, temp => File.WriteAllText(temp, runDescription));
    }

    /// <summary>The part files, in the order they were written.</summary>
    private IEnumerable<string> PartFiles() =>
        Directory.EnumerateFiles(PartsFolder, "part-*.slp")
            .Where(f => PartName.IsMatch(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    private void ReadDoneFrames(string part)
    {
        Labels labels;
        try
        {
            labels = LabelsReader.Read(part, new LabelsReadOptions { ReadVideoHeaders = false });
        }
        catch (SleapException ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The part '{part}' of an unfinished run cannot be read ({ex.Message}). Delete '{PartsFolder}' to start over.", part, ex);
        }
        if (labels.Provenance.GetValueOrDefault(PartProvenanceKey) is not List<object?> covered)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The part '{part}' does not say which frames it covers (no '{PartProvenanceKey}' provenance). Delete '{PartsFolder}' to start over.", part);
        foreach (var entry in covered.OfType<Dictionary<string, object?>>())
            if (entry.GetValueOrDefault("video") is string video && entry.GetValueOrDefault("frames") is string frames)
                _done.Add(video, frames);
    }

    private void WritePart()
    {
        if (_pending.Count == 0) return;
        var builder = new PredictionLabelsBuilder(_skeleton, [], _dropEmptyFrames);
        foreach (var prediction in _pending) builder.Add(prediction);
        var covered = _pending.GroupBy(p => p.Video.Filename, StringComparer.Ordinal)
            .Select(g => (object?)new Dictionary<string, object?>
            {
                ["video"] = g.Key,
                ["frames"] = FrameList.Format(g.Select(p => p.FrameIndex).ToList()),
            }).ToList();
        var labels = builder.Finish(new Dictionary<string, object?> { [PartProvenanceKey] = covered });
        // A part of only empty frames (dropped) still records its frames, so it needs a video to be a valid file.
        foreach (var video in _pending.Select(p => p.Video).Distinct())
            if (!labels.Videos.Contains(video)) labels.Videos.Add(video);
        string name = $"part-{(_partCount + 1).ToString("D6", CultureInfo.InvariantCulture)}.slp";
        SlpWriter.Write(labels, Path.Combine(PartsFolder, name));
        _partCount++;
        _pending.Clear();
    }
}
