using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.Frames;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Output;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Inference.Pipeline;

/// <summary>The streaming .slp writer: parts as the run goes, a resumed run equal to an uninterrupted one.</summary>
public sealed class ResumableSlpWriterTests : IDisposable
{
    private const string Run = "{\"test\":\"brightest pixel, frames 0-61\"}";
    private static readonly Dictionary<string, object?> Provenance = new() { ["predictor"] = "BrightestPixel", ["args"] = new Dictionary<string, object?> { ["batch_size"] = 4L } };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Predicts frames 0-61 of centered_pair_small.mp4 into <paramref name="path"/>; cancels after <paramref name="cancelAfterBatch"/> batches.</summary>
    private static (ResumableSlpWriter Writer, Labels? Labels, int Predicted) Predict(string path, int? cancelAfterBatch = null, bool dropEmpty = false)
    {
        var video = FrameSources.DescribeFile(PredictionPipelineTests.CenteredPair);
        var writer = new ResumableSlpWriter(path, PredictionPipelineTests.TwoNodes, [video], Run, dropEmpty, framesPerPart: 10);
        using var cancel = new CancellationTokenSource();
        var predictor = new BrightestPixelPredictor(PredictionPipelineTests.TwoNodes) { AfterBatch = n => { if (n == cancelAfterBatch) cancel.Cancel(); } };
        var pipeline = new PredictionPipeline(predictor, new PredictionPipelineOptions { BatchSize = 4, Skip = writer.IsDone });
        int predicted = 0;
        try
        {
            foreach (var prediction in pipeline.Run([PredictionTargets.Video(video, FrameList.Parse("0-61").Expand())], cancel.Token))
            {
                writer.Add(prediction);
                predicted++;
            }
        }
        catch (OperationCanceledException)
        {
            writer.Suspend();
            return (writer, null, predicted);
        }
        writer.Complete(Provenance);
        return (writer, LabelsReader.Read(path), predicted);
    }

    [Fact]
    public void An_uninterrupted_run_writes_one_file_and_no_parts()
    {
        string path = _dir.File("out.slp");
        var (writer, labels, predicted) = Predict(path);

        Assert.Equal(62, predicted);
        Assert.Equal(7, writer.PartCount);
        Assert.False(Directory.Exists(writer.PartsFolder));
        Assert.Equal(["out.slp"], _dir.Entries);
        var read = LabelsReader.Read(path);
        Assert.Equal(Enumerable.Range(0, 62).Select(i => (long)i), read.LabeledFrames.Select(f => f.FrameIndex));
        Assert.Equal(labels!.LabeledFrames.Select(f => f.Instances[0].Points[0]), read.LabeledFrames.Select(f => f.Instances[0].Points[0]));
        Assert.Equal("BrightestPixel", read.Provenance["predictor"]);
    }

    [Fact]
    public void A_cancelled_run_keeps_valid_parts_and_a_rerun_gives_the_uninterrupted_file()
    {
        string whole = _dir.File("whole.slp"), resumed = _dir.File("resumed.slp");
        Predict(whole);

        var (first, labels, predicted) = Predict(resumed, cancelAfterBatch: 6);
        Assert.Null(labels);
        Assert.False(File.Exists(resumed));
        var parts = Directory.GetFiles(first.PartsFolder, "part-*.slp").Order().ToArray();
        Assert.Equal(predicted, parts.Sum(p => LabelsReader.Read(p).LabeledFrames.Count));   // every part is a whole, readable .slp
        Assert.InRange(predicted, 20, 28);                                                 // stopped within a batch of batch 6

        var (second, _, rest) = Predict(resumed);
        Assert.Equal(predicted, second.ResumedFrames);
        Assert.Equal(62 - predicted, rest);                                                 // the done frames were not predicted again
        Assert.False(Directory.Exists(second.PartsFolder));
        LabelsAssert.Equal(LabelsReader.Read(whole), LabelsReader.Read(resumed));
    }

    [Fact]
    public void Empty_frames_can_be_dropped_and_still_count_as_done()
    {
        string path = _dir.File("sparse.slp");
        var video = FrameSources.DescribeFile(PredictionPipelineTests.CenteredPair);
        var writer = new ResumableSlpWriter(path, PredictionPipelineTests.TwoNodes, [video], Run, dropEmptyFrames: true, framesPerPart: 2);
        writer.Add(new FramePrediction(video, 0));
        writer.Add(new FramePrediction(video, 1));
        var full = new FramePrediction(video, 2);
        full.Instances.Add(new PredictedInstance(PredictionPipelineTests.TwoNodes, [new Point(1, 2, Score: 0.5), new Point(3, 4, Score: 0.25)], 0.75));
        writer.Add(full);
        writer.Suspend();

        var again = new ResumableSlpWriter(path, PredictionPipelineTests.TwoNodes, [video], Run, dropEmptyFrames: true, framesPerPart: 2);
        Assert.Equal(3, again.ResumedFrames);
        Assert.True(again.IsDone(video, 0) && again.IsDone(video, 2) && !again.IsDone(video, 3));
        again.Complete(Provenance);
        var frame = Assert.Single(LabelsReader.Read(path).LabeledFrames);
        Assert.Equal(2, frame.FrameIndex);
        Assert.Equal((3.0, 4.0, 0.25), (frame.Instances[0].Points[1].X, frame.Instances[0].Points[1].Y, frame.Instances[0].Points[1].Score));
    }

    [Fact]
    public void Parts_of_a_different_run_are_refused()
    {
        string path = _dir.File("out.slp");
        var video = FrameSources.DescribeFile(PredictionPipelineTests.CenteredPair);
        _ = new ResumableSlpWriter(path, PredictionPipelineTests.TwoNodes, [video], Run, false);
        var error = Assert.Throws<SleapException>(() => new ResumableSlpWriter(path, PredictionPipelineTests.TwoNodes, [video], "{\"other\":1}", false));
        Assert.Equal(SleapErrorKind.InvalidArgument, error.Kind);
        Assert.Equal($"The folder '{path}.parts' holds the parts of an unfinished run that predicted differently (other models, settings, videos or frames). " +
                     "Run that command again to finish it, delete the folder to start over, or choose another output path.", error.Message);
    }
}
