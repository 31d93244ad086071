using OpenCvSharp;
using SleapPS.Engine;
using SleapPS.Engine.Frames;
using SleapPS.Tests.Support;

namespace SleapPS.Tests.Frames;

public class ImageSequenceFrameSourceTests
{
    private static readonly string[] RobotImages =
        [Paths.Fixture("videos", "robot0.jpg"), Paths.Fixture("videos", "robot1.jpg"), Paths.Fixture("videos", "robot2.jpg")];

    [Fact]
    public void An_explicit_list_gives_one_RGB_frame_per_image()
    {
        using var source = new ImageSequenceFrameSource(RobotImages);
        Assert.Equal(3, source.FrameCount);
        Assert.Equal(320, source.Height);
        Assert.Equal(560, source.Width);
        Assert.Equal(3, source.Channels);
        Assert.False(source.IsGrayscale);
        Assert.Null(source.Fps);
        foreach (int frame in new[] { 2, 0, 1, 1 })
            AssertIsRgbOf(RobotImages[frame], source.ReadFrame(frame));
    }

    [Fact]
    public void A_folder_gives_its_images_sorted_by_name_and_ignores_other_files()
    {
        using var dir = new TempDir();
        File.Copy(RobotImages[2], dir.File("a.jpg"));
        File.Copy(RobotImages[0], dir.File("b.JPG"));
        File.Copy(RobotImages[1], dir.File("c.jpeg"));
        File.WriteAllText(dir.File("notes.txt"), "not an image");
        using var source = ImageSequenceFrameSource.FromFolder(dir.FullName);
        Assert.Equal([dir.File("a.jpg"), dir.File("b.JPG"), dir.File("c.jpeg")], source.Files);
        Assert.Equal(3, source.FrameCount);
        AssertIsRgbOf(RobotImages[0], source.ReadFrame(1));
        AssertIsRgbOf(RobotImages[2], source.ReadFrame(0));
    }

    [Fact]
    public void Grayscale_images_give_one_channel()
    {
        using var dir = new TempDir();
        using (var gray = Cv2.ImRead(RobotImages[0], ImreadModes.Grayscale))
        {
            Cv2.ImWrite(dir.File("0.png"), gray);
            Cv2.ImWrite(dir.File("1.png"), gray);
        }
        using var source = ImageSequenceFrameSource.FromFolder(dir.FullName);
        Assert.True(source.IsGrayscale);
        Assert.Equal(1, source.Channels);
        using var expected = Cv2.ImRead(dir.File("1.png"), ImreadModes.Unchanged);
        expected.GetArray(out byte[] bytes);
        Assert.Equal(bytes, source.ReadFrame(1));
    }

    [Fact]
    public void An_image_of_another_size_is_an_InvalidData_error_naming_it()
    {
        using var dir = new TempDir();
        File.Copy(RobotImages[0], dir.File("0.jpg"));
        using (var small = new Mat(10, 20, MatType.CV_8UC3, Scalar.All(7)))
            Cv2.ImWrite(dir.File("1.png"), small);
        using var source = ImageSequenceFrameSource.FromFolder(dir.FullName);
        var ex = Assert.Throws<SleapException>(() => source.ReadFrame(1));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal(dir.File("1.png"), ex.Path);
        Assert.Equal(
            $"The image '{dir.File("1.png")}' is 20x10 pixels but the first image of its sequence, '{dir.File("0.jpg")}', is 560x320. All images of a sequence must have the same size; resize or remove the odd one.",
            ex.Message);
        AssertIsRgbOf(RobotImages[0], source.ReadFrame(0));
    }

    [Fact]
    public void A_folder_without_images_is_an_InvalidData_error_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.txt"), "not an image");
        var ex = Assert.Throws<SleapException>(() => ImageSequenceFrameSource.FromFolder(dir.FullName));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The folder '{dir.FullName}' holds no images (.jpg, .jpeg, .png, .tif, .tiff, .bmp), so it cannot be read as a video.", ex.Message);
    }

    [Fact]
    public void A_missing_image_is_a_NotFound_error_naming_it()
    {
        string missing = Paths.Fixture("videos", "robot3.jpg");
        var ex = Assert.Throws<SleapException>(() => new ImageSequenceFrameSource([RobotImages[0], missing]));
        Assert.Equal(SleapErrorKind.NotFound, ex.Kind);
        Assert.Equal($"Cannot find the image '{missing}' of an image-sequence video.", ex.Message);
    }

    [Fact]
    public void A_text_file_named_jpg_is_an_InvalidData_error_naming_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("0.jpg"), "not an image");
        var ex = Assert.Throws<SleapException>(() => new ImageSequenceFrameSource([dir.File("0.jpg")]));
        Assert.Equal(SleapErrorKind.InvalidData, ex.Kind);
        Assert.Equal($"The file '{dir.File("0.jpg")}' cannot be read as an image: OpenCV cannot decode it. It may be damaged or not an image.", ex.Message);
    }

    private static void AssertIsRgbOf(string imageFile, byte[] rgb)
    {
        using var bgr = Cv2.ImRead(imageFile, ImreadModes.Color);
        bgr.GetArray(out Vec3b[] pixels);
        Assert.Equal(pixels.Length * 3, rgb.Length);
        for (int p = 0; p < pixels.Length; p++)
        {
            Assert.Equal(pixels[p].Item2, rgb[3 * p]);
            Assert.Equal(pixels[p].Item1, rgb[3 * p + 1]);
            Assert.Equal(pixels[p].Item0, rgb[3 * p + 2]);
        }
    }
}
