namespace SleapPS.Engine.Models.Onnx;

/// <summary>Rearranges Keras weight arrays (row-major) into the layouts ONNX operators expect.</summary>
internal static class WeightLayout
{
    /// <summary>
    /// Permutes the axes of a row-major 4-D array: result axis i is source axis <paramref name="perm"/>[i].
    /// Keras Conv2D (kh, kw, Cin, Cout) and Conv2DTranspose (kh, kw, Cout, Cin) kernels both become
    /// ONNX's (Cout, Cin, kh, kw) / (Cin, Cout, kh, kw) with perm (3, 2, 0, 1).
    /// </summary>
    public static (float[] Values, long[] Shape) Permute4(float[] source, IReadOnlyList<int> shape, params int[] perm)
    {
        int[] sourceStrides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
        int[] dims = [shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]];
        int[] strides = [sourceStrides[perm[0]], sourceStrides[perm[1]], sourceStrides[perm[2]], sourceStrides[perm[3]]];
        var result = new float[source.Length];
        int target = 0;
        for (int a = 0; a < dims[0]; a++)
            for (int b = 0; b < dims[1]; b++)
                for (int c = 0; c < dims[2]; c++)
                {
                    int offset = a * strides[0] + b * strides[1] + c * strides[2];
                    for (int d = 0; d < dims[3]; d++)
                        result[target++] = source[offset + d * strides[3]];
                }
        return (result, [dims[0], dims[1], dims[2], dims[3]]);
    }

    /// <summary>Transposes a row-major (rows, cols) matrix.</summary>
    public static float[] Transpose2(float[] source, int rows, int cols)
    {
        var result = new float[source.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                result[c * rows + r] = source[r * cols + c];
        return result;
    }
}
