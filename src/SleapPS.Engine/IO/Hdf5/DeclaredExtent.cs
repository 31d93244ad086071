using PureHDF;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Checks a dataset's declared shape against the file's real size before anything is allocated for it
/// (docs/design/reliability.md §3). A damaged header can declare billions of rows; PureHDF would allocate them all
/// before reading a byte. Stored as is (compact or contiguous), a dataset's bytes lie in the file, so it is at most the
/// file's size; stored in chunks, it may be compressed, and deflate packs at most about 1032 bytes into one.
/// </summary>
internal static class DeclaredExtent
{
    /// <summary>Deflate's largest compression ratio (a run of one byte value): the most a chunked dataset can expand.</summary>
    public const long MaxCompressionRatio = 1032;

    /// <summary>The dataset's element count, or <see cref="long.MaxValue"/> when the product overflows.</summary>
    public static long Elements(IH5Dataset dataset)
    {
        long elements = 1;
        foreach (ulong dimension in dataset.Space.Dimensions)
        {
            if (dimension > long.MaxValue || (dimension != 0 && elements > long.MaxValue / (long)dimension))
                return long.MaxValue;
            elements *= (long)dimension;
        }
        return elements;
    }

    /// <exception cref="InvalidDataException">The dataset declares more bytes than a file of <paramref name="fileLength"/> bytes can hold.</exception>
    public static void Check(IH5Dataset dataset, string name, long fileLength)
    {
        long elements = Elements(dataset);
        long elementSize = Math.Max(1, dataset.Type.Size);
        long bytes = elements > long.MaxValue / elementSize ? long.MaxValue : elements * elementSize;
        bool chunked = dataset.Layout.Class == H5DataLayoutClass.Chunked;
        long bound = chunked ? fileLength * MaxCompressionRatio : fileLength;
        if (bytes > bound)
            throw new InvalidDataException(
                $"The dataset '{name}' declares the shape [{string.Join(", ", dataset.Space.Dimensions)}] of {elementSize}-byte values, " +
                $"more than a file of {fileLength} bytes can hold{(chunked ? " even compressed" : "")}; the file is damaged.");
    }
}
