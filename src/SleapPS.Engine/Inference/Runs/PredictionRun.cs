using System.Diagnostics;
using SleapPS.Engine.Data;
using SleapPS.Engine.Inference.Filtering;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;
using SleapPS.Engine.Tracking;

namespace SleapPS.Engine.Inference.Runs;

/// <summary>
/// One prediction run (docs/design/architecture.md §7): targets (videos and frames) go through the streaming pipeline,
/// are tracked while predicting when asked, and go to one output: a resumable .slp, Labels per video or for the run,
/// and/or raw frames. Any host drives it the same way (a cmdlet, a batch, a console app):
/// <code>
///   var run = new PredictionRun(posePredictor, options);
///   run.OpenOutput(events);                         // the resumable file: resumes an unfinished run of the same inputs
///   if (run.Predict(events, token)) run.Complete(); // false: stopped; the parts done are kept for the next run
/// </code>
/// Each step throws <see cref="SleapException"/> for what stops the run, so that a host can tell an output that
/// cannot be written (OpenOutput, Complete) from a prediction that failed (Predict).
/// </summary>
public sealed class PredictionRun
{
    private readonly PosePredictor _posePredictor;
    private readonly PredictionRunOptions _options;
    private readonly List<Video> _videos;
    private readonly DateTime _start = DateTime.Now;
    private readonly Stopwatch _clock = new();
    private readonly List<VideoFailure> _failures = [];
    private ResumableSlpWriter? _writer;
    private PredictionLabelsBuilder? _builder;
    private PredictionRunEvents _events = new();
    private CancellationToken _token;
    private int _emitted;
    private bool _predicted;

    /// <param name="posePredictor">The predictor of the loaded models; the run does not dispose it (a batch reuses it).</param>
    /// <param name="options">What to predict and where.</param>
    /// <exception cref="SleapException">InvalidArgument for options that do not go together.</exception>
    public PredictionRun(PosePredictor posePredictor, PredictionRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(posePredictor);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Output == PredictionRunOutput.File && string.IsNullOrEmpty(options.OutputPath))
            throw new SleapException(SleapErrorKind.InvalidArgument, "A run that writes a file needs an output path.");
        if (options.RawFrames && options.Tracking is not null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                "Raw frames are SLEAP's make_labels=False arrays, which carry no tracks: a run cannot both track and return raw frames.");
        _posePredictor = posePredictor;
        _options = options;
        _videos = options.Targets.Select(t => t.Video).Distinct().ToList();
        OutputPath = options.Output == PredictionRunOutput.File ? Path.GetFullPath(options.OutputPath!) : null;
    }

    /// <summary>The videos predicted on, in order.</summary>
    public IReadOnlyList<Video> Videos => _videos;

    /// <summary>The .slp written (full path), or null when the run writes no file.</summary>
    public string? OutputPath { get; }

    /// <summary>Where the parts of the file are kept until the run completes; null without a file.</summary>
    public string? PartsFolder => _writer?.PartsFolder;

    /// <summary>Frames predicted by earlier, interrupted runs of the same inputs, skipped by this one.</summary>
    public long ResumedFrames => _writer?.ResumedFrames ?? 0;

    /// <summary>Frames this run predicted (and kept, tracked when tracking).</summary>
    public long FramesPredicted { get; private set; }

    /// <summary>Instances in the frames this run predicted.</summary>
    public long InstancesPredicted { get; private set; }

    /// <summary>Videos, or the rest of them, that could not be read.</summary>
    public IReadOnlyList<VideoFailure> Failures => _failures;

    /// <summary>Time spent predicting (and completing).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Where the pipeline's time went; null before <see cref="Predict"/>.</summary>
    public PipelineStatistics? Statistics { get; private set; }

    /// <summary>
    /// The frames that could not be read, in order: those the pipeline skipped (a frame that did not decode, or the rest
    /// of a video that ended early; docs/design/reliability.md) and the frame a video's failure came at, where known.
    /// </summary>
    public IEnumerable<long> UnreadableFrames =>
        (Statistics?.UnreadFrames.SelectMany(u => Enumerable.Range(0, checked((int)(u.LastFrame - u.FirstFrame + 1))).Select(i => u.FirstFrame + i)) ?? [])
        .Concat(_failures.Where(f => f.FrameIndex is not null).Select(f => f.FrameIndex!.Value))
        .Distinct().Order();

    /// <summary>
    /// Opens the output file: a parts folder of the same run is resumed (its frames are skipped), one of a different
    /// run is refused. Does nothing for runs without a file.
    /// </summary>
    /// <exception cref="SleapException">InvalidArgument for parts of another run; WriteError / NotFound when the file cannot be written.</exception>
    public void OpenOutput(PredictionRunEvents? events = null)
    {
        if (OutputPath is null || _writer is not null) return;
        // A tracked run keeps empty frames in its parts: re-tracking a resumed run must see every frame the tracker saw.
        _writer = new ResumableSlpWriter(OutputPath, _options.Predictor.Skeleton, _videos, PredictionRunDescription.Of(_options),
            _options.NoEmptyFrames && _options.Tracking is null, _options.FramesPerPart);
        if (_writer.ResumedFrames > 0)
            events?.Warning?.Invoke($"Resuming the unfinished run in '{_writer.PartsFolder}': {_writer.ResumedFrames} frames were predicted before and are skipped." +
                (_options.Tracking is null ? "" : " A tracker cannot resume: all frames are tracked again when the run completes."));
    }

    /// <summary>
    /// Predicts every frame of the targets (those of a resumed run's parts excepted) and streams them to the output.
    /// Returns true when every frame was done; false when the run was cancelled, in which case the frames done so far
    /// are kept as a part of the file and a rerun continues after them.
    /// </summary>
    /// <exception cref="SleapException">The prediction failed; the frames done so far are kept as with a cancellation.</exception>
    public bool Predict(PredictionRunEvents? events = null, CancellationToken cancellationToken = default)
    {
        if (_predicted) throw new InvalidOperationException("A prediction run predicts once.");
        _predicted = true;
        _events = events ?? new PredictionRunEvents();
        _token = cancellationToken;
        if (OutputPath is not null) OpenOutput(_events);
        var writer = _writer;
        bool resumed = writer is { ResumedFrames: > 0 };
        using var tracking = _options.Tracking is not null && !resumed ? new PredictionTracking(_options.Tracking, _options.Targets, _events.Warning) : null;
        _builder = NewBuilder(0);
        // sleap-nn's instance filters, on the predictor thread before tracking (docs/design/labels-operations.md §7).
        var filter = InstanceFilter.From(_options.Settings);
        var pipeline = new PredictionPipeline(_posePredictor, new PredictionPipelineOptions
        {
            Filter = filter,
            BatchSize = _options.Settings.BatchSize,
            Prediction = new PredictionOptions { IncludeRaw = Raw, IncludeMaps = Raw && _options.IncludeConfidenceMaps },
            Skip = writer is null ? null : writer.IsDone,
            Progress = _events.Progress,
            VideoFailed = f =>
            {
                _failures.Add(f);
                _events.VideoFailed?.Invoke(f);
            },
            DecoderThreads = _options.DecoderThreads ?? new PredictionPipelineOptions().DecoderThreads,
        });

        bool finished = false;
        _clock.Start();
        try
        {
            var frames = tracking is { UsesImage: true }
                ? pipeline.RunWithImages(_options.Targets, cancellationToken)
                : pipeline.Run(_options.Targets, cancellationToken).Select(p => new PredictedFrame(p, null));
            foreach (var frame in frames)
            {
                if (tracking is null) Keep(frame.Prediction);
                else foreach (var tracked in tracking.Track(frame.Prediction, frame.Image)) Keep(tracked);
            }
            if (tracking is not null) foreach (var tracked in tracking.Finish()) Keep(tracked);
            finished = true;
            if (PerVideo) EmitVideosUpTo(_videos.Count);
        }
        catch (OperationCanceledException)
        {
            // Stopped: the frames predicted so far are kept as a part below; the output file is not touched.
        }
        finally
        {
            _clock.Stop();
            Statistics = pipeline.Statistics;
            // A stopped run keeps the frames its tracker still held for the final pass: the resumed run re-tracks them.
            if (!finished && writer is not null && tracking is not null) foreach (var held in tracking.Abandon()) writer.Add(held);
            if (!finished) Suspend();
        }
        if (!finished) return false;
        _events.Verbose?.Invoke(pipeline.Statistics.ToString());
        if (filter is not null) _events.Verbose?.Invoke($"Instance filters: {filter.Counts}.");
        return true;
    }

    /// <summary>
    /// Finishes a run that predicted every frame: merges the parts into the output file (tracking a resumed run again
    /// first) or makes the run's Labels. Returns the run's Labels (<see cref="PredictionRunOutput.LabelsOfRun"/>), or
    /// the labels written when <paramref name="readBack"/> is set; otherwise null. The token given to
    /// <see cref="Predict"/> also stops the merge (Ctrl+C while the file is written): the output file is left as it was
    /// and the parts folder kept, and a rerun of the same command merges again (docs/design/reliability.md §4).
    /// </summary>
    /// <exception cref="SleapException">The file cannot be written, or a part of a resumed run cannot be read.</exception>
    /// <exception cref="OperationCanceledException">Stopped before the output file was replaced.</exception>
    public Labels? Complete(bool readBack = false)
    {
        if (!_predicted) throw new InvalidOperationException("Complete follows a Predict that returned true.");
        _clock.Start();
        try
        {
            var provenance = PredictionProvenance.Build(_options.Predictor, _options.Settings, _options.Command, DataPath(),
                OutputPath, _start, DateTime.Now, _options.ExtraArgs);
            if (_options.ExtraProvenance is not null)
                foreach (var (key, value) in _options.ExtraProvenance) provenance[key] = value;
            if (_writer is not null && _options.Tracking is not null && _writer.ResumedFrames > 0)
            {
                // The tracker of the interrupted run is gone: the whole run is tracked again, in memory, before it is written.
                var written = _writer.CompleteInMemory(provenance, Retrack, _token);
                return readBack ? written : null;
            }
            if (_writer is not null)
            {
                // A tracked run keeps its empty frames in the parts (for a resumed run to re-track); NoEmptyFrames drops them here.
                _writer.Complete(provenance, dropEmptyFrames: _options.NoEmptyFrames, _events.Merging, _token);
                return readBack ? LabelsReader.Read(OutputPath!) : null;
            }
            if (_builder is not null && !PerVideo) return _builder.Finish(provenance);
            return null;
        }
        catch (OperationCanceledException) when (_writer is not null)
        {
            _events.Verbose?.Invoke($"Stopped before '{OutputPath}' was replaced: it is as it was, and the parts are still in '{_writer.PartsFolder}'. Run the same command again to finish.");
            throw;
        }
        finally
        {
            _clock.Stop();
        }
    }

    private bool Raw => _options.RawFrames;

    private bool PerVideo => _options.Output == PredictionRunOutput.LabelsPerVideo && !Raw;

    private PredictionLabelsBuilder? NewBuilder(int index) => _options.Output switch
    {
        _ when Raw => null,   // raw frames replace the labels (a file, when asked, is still written)
        PredictionRunOutput.LabelsPerVideo => new PredictionLabelsBuilder(_options.Predictor.Skeleton, [_videos[index]], _options.NoEmptyFrames),
        PredictionRunOutput.LabelsOfRun => new PredictionLabelsBuilder(_options.Predictor.Skeleton, _videos, _options.NoEmptyFrames),
        _ => null,
    };

    /// <summary>One prediction, tracked when tracking: into the output file, the labels, or out as raw frames.</summary>
    private void Keep(FramePrediction prediction)
    {
        FramesPredicted++;
        InstancesPredicted += prediction.Instances.Count;
        _writer?.Add(prediction);
        if (PerVideo) EmitVideosUpTo(_videos.IndexOf(prediction.Video));
        _builder?.Add(prediction);
        if (Raw) _events.RawFrame?.Invoke(new RawFrame(prediction));
    }

    /// <summary>Hands over the Labels of the videos before videos[next] (frames come video by video), each with its own provenance.</summary>
    private void EmitVideosUpTo(int next)
    {
        while (_emitted < next)
        {
            var video = _videos[_emitted];
            var done = _builder!.Finish(PredictionProvenance.Build(_options.Predictor, _options.Settings, _options.Command,
                video.ResolvedPath ?? video.Filename, null, _start, DateTime.Now, _options.ExtraArgs));
            _emitted++;
            if (_emitted < _videos.Count) _builder = NewBuilder(_emitted);
            _events.Labels?.Invoke(done);
        }
    }

    /// <summary>Tracks a resumed run again in one go, before its merged file is written (empty frames dropped with NoEmptyFrames).</summary>
    private void Retrack(Labels merged)
    {
        string tracker = _options.TrackerName ?? _options.Tracking!.Tracker.ToString().ToLowerInvariant();
        _events.Verbose?.Invoke($"Tracking the {merged.LabeledFrames.Count} frames of the resumed run again ({tracker}).");
        PredictionTracking.Retrack(merged, _options.Tracking!, _options.NoEmptyFrames, _events.Warning, _token);
    }

    /// <summary>
    /// Writes the frames held as a part and leaves the output unfinished: for a host that will not complete a run whose
    /// video failed midway (the next run resumes after the frames done). Predict does this itself when stopped.
    /// </summary>
    public void Suspend()
    {
        if (_writer is null) return;
        _writer.Suspend();
        _events.Verbose?.Invoke($"Stopped: the frames predicted so far are in '{_writer.PartsFolder}'. Run the same command again to continue.");
    }

    private string DataPath() =>
        _options.DataPath ?? string.Join("; ", _options.Targets.Select(t => t.Video.ResolvedPath ?? t.Video.Filename).Distinct());
}
