using OpenCvSharp;
using PureHDF;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.Frames;

/// <summary>
/// Fills the shape of a <see cref="Data.Video"/> a labels file names (frame count, height, width, channels, fps) from
/// what its file says about itself, without decoding a frame: a movie's container header, an embedded-frames dataset's
/// shape and attributes. This is what lets a video read from a labels file show its real size before it is opened.
/// The numbers are the ones <see cref="FrameSources.Open"/> gives, so opening the video later changes none of them.
/// </summary>
public static class VideoHeaders
{
    /// <summary>
    /// Fills the shape properties of <paramref name="video"/> that are still null from its file's header. Values the
    /// labels file already gave are kept, and <see cref="Data.Video.Grayscale"/> is never changed: a movie's channel
    /// count is known only when the labels file says whether it is grayscale (otherwise SLEAP decides from frame 0).
    /// A video that was not found, cannot be read, or whose backend SleapPS cannot read is left as it is; opening it
    /// reports why.
    /// </summary>
    /// <returns>True when the header was read.</returns>
    public static bool TryFill(Data.Video video)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (video.ResolvedPath is not string path || !File.Exists(path)) return false;
        try
        {
            return video.Backend switch
            {
                VideoBackend.Media => FillFromMovie(video, path),
                VideoBackend.Hdf5 => FillFromEmbedded(video, path),
                _ => false,   // image sequences and dummies carry their shape in the labels file; the rest cannot be read
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A damaged or unexpected file: its shape stays unknown, and FrameSources.Open says what is wrong with it.
            return false;
        }
    }

    /// <summary>A movie: the frame count, size and rate FFmpeg reads from the container when the file is opened.</summary>
    private static bool FillFromMovie(Data.Video video, string path)
    {
        // FFmpeg, as MediaFrameSource opens it, so that the numbers are the same as when the frames are read.
        using var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened()) return false;
        long frames = (long)capture.Get(VideoCaptureProperties.FrameCount);
        int width = (int)capture.Get(VideoCaptureProperties.FrameWidth);
        int height = (int)capture.Get(VideoCaptureProperties.FrameHeight);
        double fps = capture.Get(VideoCaptureProperties.Fps);
        if (frames <= 0 || width <= 0 || height <= 0) return false;
        video.FrameCount ??= frames;
        video.Height ??= height;
        video.Width ??= width;
        video.Fps ??= double.IsFinite(fps) && fps > 0 ? fps : null;
        // MediaFrameSource keeps one channel exactly when the video is grayscale.
        video.Channels ??= video.Grayscale switch { true => 1, false => 3, null => null };
        return true;
    }

    /// <summary>
    /// Frames embedded in an HDF5 file: one row per stored frame. A raw (n, height, width, channels) array gives its
    /// size in its shape; encoded images carry it in the dataset's height, width and channels attributes, which SLEAP
    /// writes. Embedded frames have no frame rate.
    /// </summary>
    private static bool FillFromEmbedded(Data.Video video, string path)
    {
        using var file = H5File.OpenRead(path);
        string datasetPath = EmbeddedFrameSource.ResolveDatasetPath(file, video.Dataset ?? "video0/video", path);
        IH5Dataset dataset = file.Dataset(datasetPath);
        ulong[] dims = dataset.Space.Dimensions;
        if (dims.Length == 0 || dims[0] == 0) return false;

        int? height, width, storedChannels;
        if (dims.Length == 4)
            (height, width, storedChannels) = (checked((int)dims[1]), checked((int)dims[2]), checked((int)dims[3]));
        else
            (height, width, storedChannels) = (IntAttribute(dataset, "height"), IntAttribute(dataset, "width"), IntAttribute(dataset, "channels"));

        video.FrameCount ??= (long)dims[0];
        video.Height ??= height;
        video.Width ??= width;
        // As EmbeddedFrameSource returns them: one channel when stored so or when the labels file says grayscale.
        if (storedChannels is 1 or 3)
            video.Channels ??= storedChannels == 1 || video.Grayscale == true ? 1 : 3;
        return true;
    }

    private static int? IntAttribute(IH5Dataset dataset, string name)
    {
        if (!dataset.AttributeExists(name)) return null;
        IH5Attribute attribute = dataset.Attribute(name);
        if (attribute.Type.Class != H5DataTypeClass.FixedPoint) return null;
        long value = attribute.Type.Size switch
        {
            8 => attribute.Read<long>(),
            4 => attribute.Read<int>(),
            2 => attribute.Read<short>(),
            _ => 0,
        };
        return value is > 0 and <= int.MaxValue ? (int)value : null;
    }
}
