using OpenCvSharp;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace SleapPS.Engine.Frames;

/// <summary>
/// Frames stored inside an HDF5 file, as SLEAP embeds them in a .pkg.slp: dataset
/// <c>video{k}/video</c> holds one encoded image (PNG or JPEG bytes, zero-padded) per row, one encoded image per
/// element of a variable-length byte sequence (sleap-io, SLEAP 1.5+), or the raw (n, H, W, C) uint8 array; <c>video{k}/frame_numbers</c> gives each row's frame index in the
/// original video. Frames are returned as stored: SLEAP encoded its RGB arrays as if they were BGR,
/// so decoding without a channel swap gives back SLEAP's arrays.
/// </summary>
public sealed class EmbeddedFrameSource : FrameSource
{
    private readonly NativeFile _file;
    private readonly IH5Dataset _dataset;
    private readonly bool _encoded;
    private readonly bool _variableLength;       // (n) variable-length byte sequences, one encoded image each
    private readonly int _storedChannels;
    private readonly byte[] _rowBuffer;              // one encoded row, or one raw frame
    private readonly long[] _frameNumbers;           // original frame index of each row
    private readonly Dictionary<long, long> _rowOfFrame;

    /// <param name="path">The HDF5 file (a .pkg.slp, .slp, .h5).</param>
    /// <param name="dataset">The frames dataset, e.g. "video0/video" (a group name such as "video0" also works, as in SLEAP).</param>
    /// <param name="grayscale">True to keep only channel 0 of 3-channel frames; otherwise frames keep their stored channels.</param>
    public EmbeddedFrameSource(string path, string dataset, bool? grayscale = null) : base(path)
    {
        if (!File.Exists(path))
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot find the file '{path}' that holds the embedded frames.", path);
        try
        {
            _file = H5File.OpenRead(path);
        }
        catch (Exception ex)
        {
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The file '{path}' cannot be read as HDF5, so its embedded frames cannot be read: {ex.Message}", path, ex);
        }
        try
        {
            DatasetPath = ResolveDatasetPath(_file, dataset, path);
            _dataset = _file.Dataset(DatasetPath);
            long fileLength = new FileInfo(path).Length;
            IO.Hdf5.DeclaredExtent.Check(_dataset, DatasetPath, fileLength);
            ulong[] dims = _dataset.Space.Dimensions;
            _variableLength = dims.Length == 1 && _dataset.Type.Class == H5DataTypeClass.VariableLength;
            _encoded = dims.Length == 2 || _variableLength;
            if (!_encoded && dims.Length != 4)
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"The dataset '{DatasetPath}' in '{path}' has shape ({string.Join(", ", dims)}); embedded frames must be encoded images (n, bytes), " +
                    "variable-length encoded images (n), or a raw (n, height, width, channels) array.", path);
            if (!_variableLength && _dataset.Type.Size != 1)
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"The dataset '{DatasetPath}' in '{path}' holds {_dataset.Type.Size}-byte values; only 8-bit frames are supported.", path);

            long rows = (long)dims[0];
            _frameNumbers = ReadFrameNumbers(rows, fileLength);
            _rowOfFrame = new Dictionary<long, long>(_frameNumbers.Length);
            for (long row = 0; row < _frameNumbers.Length; row++)
                _rowOfFrame.TryAdd(_frameNumbers[row], row);
            FrameCount = rows;
            if (rows == 0)
                throw new SleapException(SleapErrorKind.InvalidData, $"The dataset '{DatasetPath}' in '{path}' holds no frames.", path);

            if (_encoded)
            {
                _rowBuffer = _variableLength ? [] : new byte[checked((int)dims[1])];
                using var first = DecodeRow(0);
                Height = first.Rows;
                Width = first.Cols;
                _storedChannels = first.Channels();
            }
            else
            {
                Height = checked((int)dims[1]);
                Width = checked((int)dims[2]);
                _storedChannels = checked((int)dims[3]);
                _rowBuffer = new byte[checked(Height * Width * _storedChannels)];
            }
            if (_storedChannels is not (1 or 3))
                throw new SleapException(SleapErrorKind.NotSupported,
                    $"The embedded frames in '{path}' ({DatasetPath}) have {_storedChannels} channels; only 1 (grayscale) or 3 (colour) are supported.", path);
            IsGrayscale = _storedChannels == 1 || grayscale == true;
            Channels = IsGrayscale ? 1 : 3;
        }
        catch (Exception ex) when (ex is not SleapException)
        {
            _file.Dispose();
            throw new SleapException(SleapErrorKind.InvalidData,
                $"The embedded frames '{dataset}' in '{path}' cannot be read: {ex.Message}", path, ex);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The dataset the frames are read from, e.g. "video0/video".</summary>
    public string DatasetPath { get; }

    /// <summary>The original frame index of each stored row, in row order.</summary>
    public IReadOnlyList<long> FrameNumbers => _frameNumbers;

    /// <summary>Whether a frame of the original video is stored here.</summary>
    public bool Contains(long frameIndex) => _rowOfFrame.ContainsKey(frameIndex);

    protected override void CheckFrameIndex(long frameIndex)
    {
        if (_rowOfFrame.ContainsKey(frameIndex)) return;
        const int shown = 10;
        string list = string.Join(", ", _frameNumbers.Take(shown)) + (_frameNumbers.Length > shown ? ", ..." : "");
        throw new SleapException(SleapErrorKind.InvalidArgument,
            $"Frame {frameIndex} is not embedded in '{Path}' ({DatasetPath}), which holds {_frameNumbers.Length} frames: {list}. Read it from the original video instead.",
            Path);
    }

    protected override void ReadFrameCore(long frameIndex, Span<byte> destination)
    {
        long row = _rowOfFrame[frameIndex];
        if (!_encoded)
        {
            ReadRawFrame(row);
            using var raw = Mat.FromPixelData(Height, Width, MatType.CV_8UC(_storedChannels), _rowBuffer);
            CopyStored(raw, destination);
            return;
        }
        using var image = DecodeRow(row);
        if (image.Rows != Height || image.Cols != Width || image.Channels() != _storedChannels)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Embedded frame {frameIndex} in '{Path}' ({DatasetPath}) is {image.Cols}x{image.Rows}x{image.Channels()} but the first one is {Width}x{Height}x{_storedChannels}; the file is inconsistent.",
                Path);
        CopyStored(image, destination);
    }

    private void CopyStored(Mat image, Span<byte> destination)
    {
        if (_storedChannels == Channels) PixelCopy.CopyAsStored(image, destination);
        else PixelCopy.CopyChannel0(image, destination);
    }

    /// <summary>Decodes one stored row with OpenCV, keeping its channels as stored (no BGR/RGB swap).</summary>
    private Mat DecodeRow(long row)
    {
        byte[] encoded = _rowBuffer;
        if (_variableLength)
            encoded = _dataset.Read<byte[][]>(fileSelection: new HyperslabSelection((ulong)row, 1))[0];
        else
            _dataset.Read(_rowBuffer, fileSelection: new HyperslabSelection(2, [(ulong)row, 0], [1, (ulong)_rowBuffer.Length]));
        var image = Cv2.ImDecode(encoded, ImreadModes.Unchanged);
        if (image.Empty() || image.Depth() != MatType.CV_8U)
        {
            image.Dispose();
            throw new SleapException(SleapErrorKind.InvalidData,
                $"Row {row} of '{DatasetPath}' in '{Path}' is not an 8-bit PNG or JPEG image that OpenCV can decode.", Path);
        }
        return image;
    }

    private void ReadRawFrame(long row) =>
        _dataset.Read(_rowBuffer, fileSelection: new HyperslabSelection(4,
            [(ulong)row, 0, 0, 0], [1, (ulong)Height, (ulong)Width, (ulong)_storedChannels]));

    private long[] ReadFrameNumbers(long rows, long fileLength)
    {
        string numbersPath = ParentOf(DatasetPath) + "frame_numbers";
        if (!_file.LinkExists(numbersPath))
        {
            var identity = new long[rows];
            for (long i = 0; i < rows; i++) identity[i] = i;
            return identity;
        }
        var numbers = _file.Dataset(numbersPath);
        IO.Hdf5.DeclaredExtent.Check(numbers, numbersPath, fileLength);
        long[] values = numbers.Type.Size switch
        {
            8 => numbers.Read<long[]>(),
            4 => Array.ConvertAll(numbers.Read<int[]>(), v => (long)v),
            _ => throw new SleapException(SleapErrorKind.NotSupported,
                $"'{numbersPath}' in '{Path}' holds {numbers.Type.Size}-byte integers; expected 4 or 8.", Path),
        };
        if (values.Length != rows)
            throw new SleapException(SleapErrorKind.InvalidData,
                $"'{numbersPath}' in '{Path}' lists {values.Length} frame numbers but '{DatasetPath}' holds {rows} frames.", Path);
        return values;
    }

    internal static string ResolveDatasetPath(NativeFile file, string dataset, string path)
    {
        string trimmed = dataset.Trim('/');
        // SLEAP accepts the group ("video0") as well as the dataset ("video0/video").
        if (file.LinkExists(trimmed + "/video")) return trimmed + "/video";
        if (file.LinkExists(trimmed)) return trimmed;
        throw new SleapException(SleapErrorKind.InvalidData,
            $"The file '{path}' has no embedded frames at '{dataset}'. It may have been saved without images; open the labels' original video instead.",
            path);
    }

    private static string ParentOf(string datasetPath)
    {
        int slash = datasetPath.LastIndexOf('/');
        return slash < 0 ? "" : datasetPath[..(slash + 1)];
    }

    protected override void ReleaseResources() => _file.Dispose();
}
