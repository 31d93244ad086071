using System.IO.Compression;
using System.Text.RegularExpressions;

namespace SleapPS.Tests.Support;

/// <summary>One array of a NumPy .npy/.npz file: its shape and its values as doubles (row-major).</summary>
public sealed record NpyArray(string Name, string DType, int[] Shape, double[] Values)
{
    public float[] Floats => Values.Select(v => (float)v).ToArray();

    public int Length => Values.Length;

    public double this[params int[] index]
    {
        get
        {
            int flat = 0;
            for (int i = 0; i < Shape.Length; i++)
                flat = flat * Shape[i] + index[i];
            return Values[flat];
        }
    }
}

/// <summary>
/// Reads NumPy's .npz archives (a zip of .npy files) as the sleap-nn fixtures store their reference arrays. Handles the
/// dtypes those files use (float32/64, uint8, bool, int32/64), C order only.
/// </summary>
public static class Npz
{
    public static IReadOnlyDictionary<string, NpyArray> Load(string path)
    {
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries)
        {
            string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            arrays[name] = ReadNpy(name, memory.ToArray());
        }
        return arrays;
    }

    public static NpyArray ReadNpy(string name, byte[] bytes)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || System.Text.Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{name} is not a .npy array.");
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToInt32(bytes, 8);
        int headerStart = major == 1 ? 10 : 12;
        string header = System.Text.Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        string descr = Regex.Match(header, @"'descr':\s*'([^']+)'").Groups[1].Value;
        if (Regex.IsMatch(header, @"'fortran_order':\s*True"))
            throw new NotSupportedException($"{name}: Fortran-order arrays are not read.");
        string shapeText = Regex.Match(header, @"'shape':\s*\(([^)]*)\)").Groups[1].Value;
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = bytes.AsSpan(headerStart + headerLength);
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = descr switch
            {
                "<f4" => BitConverter.ToSingle(data.Slice(4 * i, 4)),
                "<f8" => BitConverter.ToDouble(data.Slice(8 * i, 8)),
                "|u1" or "|b1" => data[i],
                "<i4" => BitConverter.ToInt32(data.Slice(4 * i, 4)),
                "<i8" => BitConverter.ToInt64(data.Slice(8 * i, 8)),
                _ => throw new NotSupportedException($"{name}: dtype {descr} is not read."),
            };
        return new NpyArray(name, descr, shape, values);
    }
}
