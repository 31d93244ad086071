using SleapPS.Engine;
using SleapPS.Engine.Data;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

public class CsvWriterTests
{
    [Theory]
    // Expected values are Python's repr() of the same doubles.
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(123456789012345.0, "123456789012345.0")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(205.9300539013689, "205.9300539013689")]
    [InlineData(1e300, "1e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e-4 * 3, "0.00030000000000000003")]
    [InlineData(double.NaN, "nan")]
    public void FormatsNumbersAsPythonDoes(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.Repr(value));
    }

    [Fact]
    public void WritesOneRowPerOccupiedSlotWithPandasText()
    {
        var skeleton = Skeleton.FromNames("s", ["A", "B,C"]);
        var video = new Video("clip.mp4", VideoBackend.Media);
        var female = new Track("female");
        var male = new Track("ma\"le");
        var labels = new Labels();
        labels.Tracks.AddRange([female, male]);
        labels.LabeledFrames.Add(new LabeledFrame(video, 1, [
            new PredictedInstance(skeleton, [new Point(1.5, 2.0, Score: 0.25), Point.MissingPredicted], score: 0.5, track: male),
            new Instance(skeleton, [new Point(3, 4), new Point(5, 6)], female),
        ]));
        labels.LabeledFrames.Add(new LabeledFrame(video, 3, [new PredictedInstance(skeleton, track: female)]));

        using var dir = new TempDir();
        string path = dir.File("out.csv");
        CsvWriter.Write(labels, path);

        // Frame 3's instance has no coordinates, so it has no row.
        Assert.Equal(
            "track,frame_idx,instance.score,A.x,A.y,A.score,\"B,C.x\",\"B,C.y\",\"B,C.score\"\n" +
            "female,1,nan,3.0,4.0,,5.0,6.0,\n" +
            "\"ma\"\"le\",1,0.5,1.5,2.0,0.25,,,0.0\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void RefusesAnExportWithNothingInItAndLeavesNoFile()
    {
        var video = new Video("clip.mp4", VideoBackend.Media);
        var labels = new Labels();
        labels.Skeletons.Add(Skeleton.FromNames("s", ["A"]));
        labels.LabeledFrames.Add(new LabeledFrame(video, 0));

        using var dir = new TempDir();
        string path = dir.File("out.csv");
        var error = Assert.Throws<SleapException>(() => CsvWriter.Write(labels, path));
        Assert.Equal($"Cannot export '{path}': no labelled frame of 'clip.mp4' has an instance of the first skeleton (A), so there is nothing to write.", error.Message);
        Assert.Empty(dir.Entries);
    }
}
