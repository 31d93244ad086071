namespace SleapPS.Tests.Models.Reference;

/// <summary>
/// A dense float64 tensor in row-major order: rank 4 means NHWC (batch, height, width, channels),
/// rank 2 means (batch, features). The reference forward pass works only on these.
/// </summary>
public sealed class Tensor64
{
    public Tensor64(int[] shape, double[]? data = null)
    {
        Shape = (int[])shape.Clone();
        long count = 1;
        foreach (int dim in shape)
        {
            if (dim < 0) throw new ArgumentException($"Negative dimension in shape [{string.Join(", ", shape)}].");
            count *= dim;
        }
        if (data is not null && data.Length != count)
            throw new ArgumentException($"{data.Length} values do not fill shape [{string.Join(", ", shape)}] ({count}).");
        Data = data ?? new double[count];
    }

    public static Tensor64 Nhwc(int n, int h, int w, int c) => new([n, h, w, c]);

    public int[] Shape { get; }
    public double[] Data { get; }
    public int Rank => Shape.Length;

    public int N => Shape[0];
    public int H => RequireRank4(1);
    public int W => RequireRank4(2);
    /// <summary>The last axis: channels of an NHWC tensor, features of a (batch, features) one.</summary>
    public int C => Shape[^1];

    /// <summary>Flat index of element (n, y, x, c) of an NHWC tensor.</summary>
    public int Index(int n, int y, int x, int c) => ((n * Shape[1] + y) * Shape[2] + x) * Shape[3] + c;

    public double this[int n, int y, int x, int c]
    {
        get => Data[Index(n, y, x, c)];
        set => Data[Index(n, y, x, c)] = value;
    }

    public double this[int n, int feature]
    {
        get => Data[n * Shape[1] + feature];
        set => Data[n * Shape[1] + feature] = value;
    }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    private int RequireRank4(int axis) =>
        Rank == 4 ? Shape[axis] : throw new InvalidOperationException($"Expected an NHWC tensor, got shape {ShapeText}.");
}
