using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Reverses the axes of N-D arrays, as SLEAP's analysis export does ("column-major for MATLAB"):
/// an array of shape (d0, .., dk) is stored with shape (dk, .., d0), so the file's row-major order is
/// the array's column-major order.
/// </summary>
internal static class ColumnMajor
{
    /// <summary>The elements of <paramref name="array"/> in column-major order, and the reversed shape.</summary>
    public static (T[] Elements, ulong[] Shape) Transpose<T>(Array array) where T : unmanaged
    {
        int rank = array.Rank;
        var dims = new int[rank];
        for (int a = 0; a < rank; a++) dims[a] = array.GetLength(a);
        var shape = Enumerable.Reverse(dims).Select(d => (ulong)d).ToArray();

        var source = Elements<T>(array);
        var result = new T[source.Length];
        if (source.Length == 0) return (result, shape);

        // Walk the source in row-major order (last axis fastest), keeping the column-major index in step.
        var columnStride = new int[rank];
        columnStride[0] = 1;
        for (int a = 1; a < rank; a++) columnStride[a] = columnStride[a - 1] * dims[a - 1];
        var counter = new int[rank];
        int target = 0;
        for (int i = 0; i < source.Length; i++)
        {
            result[target] = source[i];
            for (int a = rank - 1; a >= 0; a--)
            {
                if (++counter[a] < dims[a]) { target += columnStride[a]; break; }
                counter[a] = 0;
                target -= columnStride[a] * (dims[a] - 1);
            }
        }
        return (result, shape);
    }

    /// <summary>Turns the elements of a file array of shape (dk, .., d0) back into a T[d0, .., dk] array.</summary>
    public static Array Untranspose<T>(T[] fileElements, IReadOnlyList<ulong> fileShape) where T : unmanaged
    {
        var dims = Enumerable.Reverse(fileShape).Select(d => checked((int)d)).ToArray();
        var array = Array.CreateInstance(typeof(T), dims);
        if (fileElements.Length == 0) return array;
        // Transposing the file's view (shape dk..d0) gives exactly the array's row-major elements.
        var fileView = Array.CreateInstance(typeof(T), fileShape.Select(d => checked((int)d)).ToArray());
        fileElements.AsSpan().CopyTo(Elements<T>(fileView));
        Transpose<T>(fileView).Elements.AsSpan().CopyTo(Elements<T>(array));
        return array;
    }

    /// <summary>The elements of a multi-dimensional array in memory (row-major) order, without copying.</summary>
    public static Span<T> Elements<T>(Array array) where T : unmanaged
    {
        if (array.GetType().GetElementType() != typeof(T))
            throw new ArgumentException($"Expected an array of {typeof(T).Name}, got {array.GetType().Name}.", nameof(array));
        ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array));
        return MemoryMarshal.CreateSpan(ref first, array.Length);
    }
}
