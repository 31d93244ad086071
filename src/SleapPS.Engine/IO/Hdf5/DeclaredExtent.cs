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

    /// <summary>The element count of a dataspace, or <see cref="long.MaxValue"/> when the product overflows.</summary>
    public static long Elements(IH5Dataspace space)
    {
        long elements = 1;
        foreach (ulong dimension in space.Dimensions)
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
        bool chunked = dataset.Layout.Class == H5DataLayoutClass.Chunked;
        Check(dataset.Space, dataset.Type, "dataset", name, fileLength, chunked ? fileLength * MaxCompressionRatio : fileLength, chunked);
    }

    /// <summary>An attribute is stored whole, uncompressed, in its object's header: it is at most the file's size.</summary>
    /// <exception cref="InvalidDataException">The attribute declares more bytes than the file holds.</exception>
    public static void Check(IH5Attribute attribute, string name, long fileLength) =>
        Check(attribute.Space, attribute.Type, "attribute", name, fileLength, fileLength, compressed: false);

    private static void Check(IH5Dataspace space, IH5DataType type, string what, string name, long fileLength, long bound, bool compressed)
    {
        long elements = Elements(space);
        long elementSize = Math.Max(1, type.Size);
        long bytes = elements > long.MaxValue / elementSize ? long.MaxValue : elements * elementSize;
        if (bytes > bound)
            throw new InvalidDataException(
                $"The {what} '{name}' declares the shape [{string.Join(", ", space.Dimensions)}] of {elementSize}-byte values, " +
                $"more than a file of {fileLength} bytes can hold{(compressed ? " even compressed" : "")}; the file is damaged.");
    }
}
