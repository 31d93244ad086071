using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Models.Config;

namespace SleapPS.Engine.Inference.Pipeline;

/// <summary>
/// Predicts on frames of videos as a stream:
/// <code>
///   decode thread: open each video, read frames in order into pooled buffers, batch frames of one size
///     --(bounded channel)--> predictor thread: PosePredictor.PredictBatch, buffers back to the pool
///     --(bounded channel)--> the caller's thread: predictions in frame order, progress, video failures
/// </code>
/// Decoding overlaps prediction, and the bounded channels cap memory at a few batches whatever the video length.
/// One cancellation token reaches every stage: a cancelled run stops after the batch in flight.
/// </summary>
public sealed class PredictionPipeline
{
    private const int RateWindowBatches = 30;

    /// <summary>
    /// Undecodable frames in a row after which a video is taken to have ended early: the rest are noted unread without
    /// each costing a seek and a failed decode (docs/design/reliability.md §5). A damaged stretch shorter than this is
    /// stepped over.
    /// </summary>
    internal const int UnreadFramesBeforeGivingUp = 16;

    private readonly PosePredictor _predictor;
    private readonly PredictionPipelineOptions _options;
    private readonly FrameBufferPool _pool;

    public PredictionPipeline(PosePredictor predictor, PredictionPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        _predictor = predictor;
        _options = options ?? new PredictionPipelineOptions();
        if (_options.BatchSize < 1)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"The batch size is {_options.BatchSize}; it must be at least 1.");
        if (_options.QueuedBatches < 1)
            throw new SleapException(SleapErrorKind.InvalidArgument, $"QueuedBatches is {_options.QueuedBatches}; it must be at least 1.");
        // Enough for every frame in flight: the batches queued in both channels, the one being filled, the one predicted.
        _pool = new FrameBufferPool(_options.BatchSize * (2 * _options.QueuedBatches + 3));
    }

    /// <summary>Where the last run's time went.</summary>
    public PipelineStatistics Statistics { get; private set; } = new();

    /// <summary>
    /// Predicts on every frame the targets name, in target order then frame order, and yields one prediction per
    /// frame as soon as its batch is done. Stopping the enumeration early (or cancelling) stops both threads.
    /// </summary>
    /// <exception cref="SleapException">
    /// InvalidArgument when the predictor needs ground truth and a target has none (plain videos); a video failure when
    /// <see cref="PredictionPipelineOptions.VideoFailed"/> is unset.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IEnumerable<FramePrediction> Run(IReadOnlyList<PredictionTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        RequireGroundTruthWhereNeeded(_predictor.Kind, _predictor.RequiresGroundTruth, targets);
        return RunCore(targets, keepImages: false, cancellationToken).Select(frame => frame.Prediction);
    }

    /// <summary>
    /// Like <see cref="Run"/>, and each prediction comes with the frame's pixels as the predictor got them (for a
    /// tracker that follows instances by optical flow). The pixels are a pooled buffer, lent until the enumeration
    /// moves to the next frame: copy what must outlive that. No frame is decoded twice and no buffer is allocated
    /// per frame once the pipeline is full.
    /// </summary>
    public IEnumerable<PredictedFrame> RunWithImages(IReadOnlyList<PredictionTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        RequireGroundTruthWhereNeeded(_predictor.Kind, _predictor.RequiresGroundTruth, targets);
        return RunCore(targets, keepImages: true, cancellationToken);
    }

    /// <summary>Frames the targets name that are not skipped; null when a video's frame count is unknown.</summary>
    public long? CountFrames(IReadOnlyList<PredictionTarget> targets)
    {
        long total = 0;
        foreach (var target in targets)
        {
            if (target.FrameCount is not long count) return null;
            if (_options.Skip is not { } skip) { total += count; continue; }
            foreach (long frame in target.FrameIndices(count))
                if (!skip(target.Video, frame)) total++;
        }
        return total;
    }

    /// <summary>
    /// Throws InvalidArgument when a predictor that takes a stage from ground truth (docs/design/inference.md §9.6) is given a
    /// target without it (a plain video). Callers may check before loading anything; <see cref="Run"/> checks again.
    /// </summary>
    public static void RequireGroundTruthWhereNeeded(PredictorKind kind, bool requiresGroundTruth, IReadOnlyList<PredictionTarget> targets)
    {
        if (!requiresGroundTruth) return;
        var plain = targets.FirstOrDefault(t => t.GroundTruth is null);
        if (plain is not null)
            throw new SleapException(SleapErrorKind.InvalidArgument,
                $"The {kind} predictor replaces a missing model with ground truth (the user instances of labelled frames, as SLEAP does), " +
                $"so it cannot predict on the plain video '{plain.Video.Filename}'. Give a labels file or Labels object with -Labels, " +
                "or load the missing model (a centroid model, or a centered-instance model) with the others.",
                plain.Video.Filename);
    }

    private IEnumerable<PredictedFrame> RunCore(IReadOnlyList<PredictionTarget> targets, bool keepImages, CancellationToken cancellationToken)
    {
        var statistics = new PipelineStatistics();
        Statistics = statistics;
        var clock = Stopwatch.StartNew();
        long? total = CountFrames(targets);

        var bounded = new BoundedChannelOptions(_options.QueuedBatches) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait };
        var batches = Channel.CreateBounded<DecodedBatch>(bounded);
        var results = Channel.CreateBounded<PredictedBatch>(bounded);
        var pool = _pool;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        var decoder = Task.Factory.StartNew(() => Decode(targets, batches.Writer, pool, statistics, token),
            token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var predictor = Task.Factory.StartNew(() => Predict(batches.Reader, results.Writer, pool, keepImages, statistics, token),
            token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var rateWindow = new Queue<(double Seconds, long Frames)>();
        long done = 0;
        try
        {
            while (Take(results.Reader, out var result, token))
            {
                if (result.Failure is { } failure)
                {
                    if (_options.VideoFailed is null) throw failure.Error;
                    _options.VideoFailed(failure);
                    continue;
                }
                var predictions = result.Predictions!;
                for (int i = 0; i < predictions.Count; i++)
                {
                    if (result.Frames is not { } frames)
                    {
                        yield return new PredictedFrame(predictions[i], null);
                        continue;
                    }
                    var frame = frames[i];
                    yield return new PredictedFrame(predictions[i], new FrameImage(frame.Pixels, frame.Height, frame.Width, frame.Channels));
                    // The consumer has moved on: the buffer can be decoded into again.
                    pool.Return(frame.Pixels);
                }
                done += result.Predictions!.Count;
                ReportProgress(rateWindow, clock.Elapsed, done, total, result.Predictions[^1].Video.Filename);
            }
        }
        finally
        {
            stop.Cancel();
            WaitQuietly(decoder, predictor);
            statistics.Elapsed = clock.Elapsed;
        }
    }

    private void ReportProgress(Queue<(double Seconds, long Frames)> window, TimeSpan elapsed, long done, long? total, string video)
    {
        if (_options.Progress is null) return;
        window.Enqueue((elapsed.TotalSeconds, done));
        if (window.Count > RateWindowBatches + 1) window.Dequeue();
        var (firstSeconds, firstFrames) = window.Peek();
        double rate = window.Count > 1 && elapsed.TotalSeconds > firstSeconds ? (done - firstFrames) / (elapsed.TotalSeconds - firstSeconds) : 0;
        _options.Progress(new PredictionProgress(done, total, elapsed, rate, video));
    }

    /// <summary>Decode stage: reads frames in order, one video at a time, and batches frames of one size.</summary>
    private void Decode(IReadOnlyList<PredictionTarget> targets, ChannelWriter<DecodedBatch> output, FrameBufferPool pool,
        PipelineStatistics statistics, CancellationToken token)
    {
        var clock = new Stopwatch();
        var batch = new List<FrameInput>(_options.BatchSize);
        try
        {
            foreach (var target in targets)
            {
                token.ThrowIfCancellationRequested();
                clock.Start();
                FrameSource source;
                try
                {
                    source = FrameSources.Open(target.Video, _options.DecoderThreads);
                }
                catch (SleapException ex)
                {
                    clock.Stop();
                    Flush();
                    Put(output, new DecodedBatch(null, new VideoFailure(target.Video, ex, 0)), token);
                    continue;
                }
                clock.Stop();
                using (source)
                    DecodeVideo(target, source);
            }
            Flush();
            output.TryComplete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
        }
        finally
        {
            statistics.DecodeTime = clock.Elapsed;
        }

        void DecodeVideo(PredictionTarget target, FrameSource source)
        {
            long read = 0;
            int failedInARow = 0;
            SleapException? endedEarly = null;
            foreach (long frameIndex in target.FrameIndices(source.FrameCount))
            {
                token.ThrowIfCancellationRequested();
                if (_options.Skip?.Invoke(target.Video, frameIndex) == true) continue;
                if (endedEarly is not null)
                {
                    // The video ended before its header said: the frames after are noted, not each tried (§5).
                    statistics.AddUnread(target.Video, frameIndex, endedEarly);
                    continue;
                }
                clock.Start();
                var pixels = pool.Rent(source.FrameByteCount);
                try
                {
                    source.ReadFrame(frameIndex, pixels);
                    failedInARow = 0;
                }
                catch (SleapException ex) when (ex.Kind == SleapErrorKind.ReadError)
                {
                    // A frame that does not decode is skipped and noted; the frames around it are predicted, each under
                    // its own number (docs/design/reliability.md §5).
                    clock.Stop();
                    pool.Return(pixels);
                    statistics.AddUnread(target.Video, frameIndex, ex);
                    if (++failedInARow == UnreadFramesBeforeGivingUp) endedEarly = ex;
                    continue;
                }
                catch (SleapException ex)
                {
                    clock.Stop();
                    pool.Return(pixels);
                    Flush();
                    Put(output, new DecodedBatch(null, new VideoFailure(target.Video, ex, read, frameIndex)), token);
                    return;
                }
                clock.Stop();
                var frame = new FrameInput(target.Video, frameIndex, pixels, source.Height, source.Width, source.Channels)
                {
                    GroundTruth = target.GroundTruth is null ? null : target.GroundTruth.GetValueOrDefault(frameIndex) ?? [],
                };
                if (batch.Count > 0 && !SameSize(batch[0], frame)) Flush();
                batch.Add(frame);
                read++;
                if (batch.Count == _options.BatchSize) Flush();
            }
        }

        void Flush()
        {
            if (batch.Count == 0) return;
            Put(output, new DecodedBatch(batch, null), token);
            batch = new List<FrameInput>(_options.BatchSize);
        }
    }

    /// <summary>
    /// Predictor stage: one batch at a time, in order; frame buffers go back to the pool after each batch, or, when
    /// images are kept, travel on with the predictions and go back once the consumer is done with them.
    /// </summary>
    private void Predict(ChannelReader<DecodedBatch> input, ChannelWriter<PredictedBatch> output, FrameBufferPool pool,
        bool keepImages, PipelineStatistics statistics, CancellationToken token)
    {
        var predicting = new Stopwatch();
        var waiting = new Stopwatch();
        var stagesBefore = _predictor.StageTimes.Snapshot();
        try
        {
            while (true)
            {
                waiting.Start();
                bool more = Take(input, out var batch, token);
                waiting.Stop();
                if (!more) break;
                if (batch.Failure is not null)
                {
                    Put(output, new PredictedBatch(null, null, batch.Failure), token);
                    continue;
                }
                var frames = batch.Frames!;
                predicting.Start();
                var predictions = _predictor.PredictBatch(frames, _options.Prediction, token);
                if (_options.Filter is { } filter)
                    foreach (var prediction in predictions) filter.Apply(prediction.Instances);
                predicting.Stop();
                if (predictions.Count != frames.Count)
                    throw new InvalidOperationException($"The {_predictor.Kind} predictor returned {predictions.Count} predictions for a batch of {frames.Count} frames.");
                if (keepImages) RequireFrameOrder(frames, predictions);
                else foreach (var frame in frames) pool.Return(frame.Pixels);
                statistics.Frames += frames.Count;
                statistics.Batches++;
                Put(output, new PredictedBatch(predictions, keepImages ? frames : null, null), token);
            }
            output.TryComplete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
        }
        finally
        {
            statistics.PredictTime = predicting.Elapsed;
            statistics.PredictorWaitTime = waiting.Elapsed;
            var stages = _predictor.StageTimes;
            statistics.PreprocessTime = stages.Preprocess - stagesBefore.Preprocess;
            statistics.ModelTime = stages.Model - stagesBefore.Model;
            statistics.ModelRuns = stages.ModelRuns - stagesBefore.ModelRuns;
            statistics.GroupingTime = stages.Grouping - stagesBefore.Grouping;
        }
    }

    /// <summary>Predictions pair with their frames by position: check it, so that no frame's pixels reach another frame's instances.</summary>
    private void RequireFrameOrder(List<FrameInput> frames, IReadOnlyList<FramePrediction> predictions)
    {
        for (int i = 0; i < frames.Count; i++)
            if (!ReferenceEquals(frames[i].Video, predictions[i].Video) || frames[i].FrameIndex != predictions[i].FrameIndex)
                throw new InvalidOperationException(
                    $"The {_predictor.Kind} predictor returned frame {predictions[i].FrameIndex} where frame {frames[i].FrameIndex} of its batch was expected.");
    }

    private static bool SameSize(FrameInput a, FrameInput b) =>
        a.Height == b.Height && a.Width == b.Width && a.Channels == b.Channels;

    private static void Put<T>(ChannelWriter<T> writer, T item, CancellationToken token)
    {
        if (!writer.TryWrite(item))
            writer.WriteAsync(item, token).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Blocks until an item is there (true) or the channel is complete (false); rethrows a stage's failure.</summary>
    private static bool Take<T>(ChannelReader<T> reader, out T item, CancellationToken token)
    {
        try
        {
            while (!reader.TryRead(out item!))
                if (!reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
                    return false;
            return true;
        }
        catch (ChannelClosedException closed) when (closed.InnerException is not null)
        {
            // A channel completed with a stage's exception wraps it, once per hop: rethrow the original.
            Exception original = closed;
            while (original is ChannelClosedException { InnerException: { } inner }) original = inner;
            ExceptionDispatchInfo.Throw(original);
            throw;
        }
    }

    /// <summary>Waits for the stages to end after a stop; their cancellation is expected, their failures were already passed on.</summary>
    private static void WaitQuietly(params Task[] stages)
    {
        try
        {
            Task.WaitAll(stages);
        }
        catch (AggregateException)
        {
        }
    }

    private sealed record DecodedBatch(List<FrameInput>? Frames, VideoFailure? Failure);

    /// <summary>A batch's predictions; with kept images, also its frames, in the same order.</summary>
    private sealed record PredictedBatch(IReadOnlyList<FramePrediction>? Predictions, List<FrameInput>? Frames, VideoFailure? Failure);
}
