using SleapPS.Engine.Frames;
using SleapPS.Tests.Inference.Exports;

namespace SleapPS.Tests.Frames;

/// <summary>sleap-io (SLEAP 1.5+) embeds each frame of a .pkg.slp as a variable-length byte sequence holding a PNG.</summary>
public class EmbeddedVariableLengthFramesTests
{
    [Fact]
    public void Sleap_io_frames_decode_to_the_pixels_sleap_nn_was_given()
    {
        using var source = new EmbeddedFrameSource(ExportFixtures.MinimalInstance, "video0/video");
        Assert.Equal((384, 384, 1, 1L), (source.Height, source.Width, source.Channels, source.FrameCount));
        Assert.Equal([0L], source.FrameNumbers);

        var pixels = source.ReadFrame(0);
        var expected = ExportFixtures.Expected(ExportFixtures.Centroid)["image"];   // (1, 1, 384, 384), the frame sleap-nn read
        Assert.Equal(expected.Values.Select(v => (byte)v), pixels);
    }
}
