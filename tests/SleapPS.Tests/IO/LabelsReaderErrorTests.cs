using PureHDF;
using SleapPS.Engine;
using SleapPS.Engine.IO;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.IO;

public class LabelsReaderErrorTests
{
    private static readonly string MinimalInstance = Paths.Fixture("slp_hdf5", "minimal_instance.slp");

    /// <summary>A copy of minimal_instance.slp (format 1.1) with its format_id attribute's 8 bytes replaced.</summary>
    private static string WithFormatId(TempDir dir, double formatId)
    {
        byte[] bytes = File.ReadAllBytes(MinimalInstance);
        byte[] stored = BitConverter.GetBytes(1.1);
        int at = bytes.AsSpan().IndexOf(stored);
        Assert.Equal(at, bytes.AsSpan().LastIndexOf(stored)); // the value occurs exactly once
        BitConverter.GetBytes(formatId).CopyTo(bytes, at);
        string path = dir.File($"format_{formatId}.slp");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        string path = dir.File("nothing.slp");
        foreach (Func<string, object> read in new Func<string, object>[] { p => LabelsReader.Read(p), p => SlpReader.Read(p), p => LegacyJsonReader.Read(p) })
        {
            var ex = Assert.Throws<SleapException>(() => read(path));
            Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
            Assert.Equal($"Cannot read '{path}': the file does not exist. Check the path and the current directory.", ex.Message);
            Assert.Equal(path, ex.Path);
        }
    }

    [Fact]
    public void FolderInsteadOfFile()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(dir.FullName));
        Assert.Equal(SleapErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"Cannot read '{dir.FullName}': it is a folder, not a labels file. Pass the path of a .slp file inside it.", ex.Message);
    }

    [Fact]
    public void RelativePathIsReportedInFull()
    {
        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read("no-such-labels.slp"));
        Assert.Equal(Path.GetFullPath("no-such-labels.slp"), ex.Path);
    }

    [Fact]
    public void NotHdf5()
    {
        using var dir = new TempDir();
        string path = dir.File("text.slp");
        File.WriteAllText(path, "just some text, not labels");

        var ex = Assert.Throws<SleapException>(() => SlpReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"Cannot read '{path}': it is not an HDF5 file, so it is not a SLEAP .slp labels file. Check that the path points to a .slp file saved by SLEAP.", ex.Message);

        var viaDispatch = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, viaDispatch.Kind);
        Assert.Equal($"Cannot read '{path}': it is not a SLEAP labels file. Accepted formats are SLEAP .slp files, SLEAP analysis .h5 files, NWB files with ndx-pose, the older .json / .json.zip labels, COCO keypoints .json and DeepLabCut .csv and .h5 tables.", viaDispatch.Message);
    }

    [Fact]
    public void EmptyFileIsNotALabelsFile()
    {
        using var dir = new TempDir();
        string path = dir.File("empty.slp");
        File.WriteAllBytes(path, []);
        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"Cannot read '{path}': it is not a SLEAP labels file.", ex.Message);
    }

    [Fact]
    public void Hdf5WithoutMetadataGroup()
    {
        using var dir = new TempDir();
        string path = dir.File("other.h5");
        new H5File { ["data"] = new H5Dataset(new[] { 1.0, 2.0, 3.0 }) }.Write(path);

        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"Cannot read '{path}': it is an HDF5 file but neither a SLEAP labels file (it has no 'metadata' group) nor a SLEAP analysis file. Choose a .slp or analysis .h5 file saved by SLEAP.", ex.Message);
    }

    [Fact]
    public void FormatIdTwoIsNotSupported()
    {
        using var dir = new TempDir();
        string path = WithFormatId(dir, 2.0);

        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"Cannot read '{path}': its format_id is 2, a newer SLEAP labels format than this module reads (1.x). Save it from SLEAP 1.x, or update SleapPS.", ex.Message);
    }

    [Fact]
    public void FormatIdOneShiftsUserPointsByHalfAPixel()
    {
        using var dir = new TempDir();
        var labels = LabelsReader.Read(WithFormatId(dir, 1.0));

        var first = labels.LabeledFrames[0].Instances[0];
        Assert.Equal(92.65220773208894 - 0.5, first.Points[0].X);
        Assert.Equal(202.7259777426982 - 0.5, first.Points[0].Y);
    }

    [Fact]
    public void TruncatedFile()
    {
        using var dir = new TempDir();
        string path = dir.File("half.slp");
        byte[] bytes = File.ReadAllBytes(Paths.Fixture("tracks", "clip.slp"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"Cannot read '{path}': the HDF5 file is damaged or incomplete (", ex.Message);
        Assert.EndsWith("). If it was being copied or written, wait for that to finish or copy it again.", ex.Message);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void MalformedJsonLabels()
    {
        using var dir = new TempDir();
        string path = dir.File("broken.json");
        File.WriteAllText(path, "{\"version\": \"2.0.0\", \"nodes\": [");

        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith($"Cannot read '{path}': it is not a valid SLEAP JSON labels file. The JSON text is malformed: ", ex.Message);
    }

    [Fact]
    public void JsonWithoutVersionIsOldLeapFormat()
    {
        using var dir = new TempDir();
        string path = dir.File("leap.json");
        File.WriteAllText(path, "{\"labels\": []}");

        var ex = Assert.Throws<SleapException>(() => LabelsReader.Read(path));
        Assert.Equal(SleapErrorKind.NotSupported, ex.Kind);
        Assert.Equal($"Cannot read '{path}': it has no 'version' key, so it is a pre-release LEAP JSON file, which this module does not read. Open it in SLEAP and save it as .slp.", ex.Message);
    }
}
