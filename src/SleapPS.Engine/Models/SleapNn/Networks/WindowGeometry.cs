using SleapPS.Engine.Models.Onnx;

namespace SleapPS.Engine.Models.SleapNn.Networks;

/// <summary>
/// The window layout of one SwinT stage, computed IN the graph from the stage's map size so that one graph serves
/// every input size (docs/design/sleap-nn-networks.md §9.4): the map is zero-padded at the bottom/right to whole
/// windows; a shifted block rolls it by window/2 along each axis that holds more than one window (torchvision drops
/// the shift along an axis whose padded length is not above the window), and masks attention between cells that the
/// roll brought together from different regions. All blocks of a stage share one geometry (they keep the map size).
/// </summary>
internal sealed class WindowGeometry
{
    /// <summary>torchvision's attention mask value for cells of different regions (added to the logits, not -inf).</summary>
    private const float MaskValue = -100f;

    private readonly TransformerOps _ops;
    private readonly string _hint;
    private string? _shiftRows, _shiftCols, _mask;

    public WindowGeometry(TransformerOps ops, string x, int window, int channels, string hint)
    {
        _ops = ops;
        _hint = hint;
        Window = window;
        Channels = channels;
        var g = ops.Graph;

        Height = ops.Dim(x, 1, $"{hint}_h");
        Width = ops.Dim(x, 2, $"{hint}_w");
        string windowMinusOne = g.Int64s($"{hint}_wm1", window - 1);
        string windowSize = g.Int64s($"{hint}_ws", window);
        WindowRows = g.Node("Div", [g.Node("Add", [Height, windowMinusOne], $"{hint}_h_up"), windowSize], $"{hint}_nwh");
        WindowCols = g.Node("Div", [g.Node("Add", [Width, windowMinusOne], $"{hint}_w_up"), windowSize], $"{hint}_nww");
        PaddedHeight = g.Node("Mul", [WindowRows, windowSize], $"{hint}_pad_h");
        PaddedWidth = g.Node("Mul", [WindowCols, windowSize], $"{hint}_pad_w");
        string bottom = g.Node("Sub", [PaddedHeight, Height], $"{hint}_pad_b");
        string right = g.Node("Sub", [PaddedWidth, Width], $"{hint}_pad_r");
        Pads = g.Node("Concat", [g.Int64s($"{hint}_pad_begin", 0, 0, 0, 0, 0), bottom, right, g.Int64s($"{hint}_pad_c", 0)], $"{hint}_pads",
            OnnxGraphBuilder.Int("axis", 0));

        string minusOne = g.Int64s($"{hint}_m1", -1);
        string c = g.Int64s($"{hint}_c", channels);
        PartitionShape = g.Node("Concat", [minusOne, WindowRows, windowSize, WindowCols, windowSize, c], $"{hint}_part_shape", OnnxGraphBuilder.Int("axis", 0));
        WindowsShape = g.Int64s($"{hint}_windows_shape", -1, window * window, channels);
        ReverseShape = g.Node("Concat", [minusOne, WindowRows, WindowCols, windowSize, windowSize, c], $"{hint}_rev_shape", OnnxGraphBuilder.Int("axis", 0));
        PaddedShape = g.Node("Concat", [minusOne, PaddedHeight, PaddedWidth, c], $"{hint}_padded_shape", OnnxGraphBuilder.Int("axis", 0));
    }

    public int Window { get; }
    public int Channels { get; }

    /// <summary>Cells per window (window²).</summary>
    public int Cells => Window * Window;

    /// <summary>One-element int64 tensors: the map size, windows per axis and the padded size.</summary>
    public string Height { get; }
    public string Width { get; }
    public string WindowRows { get; }
    public string WindowCols { get; }
    public string PaddedHeight { get; }
    public string PaddedWidth { get; }

    /// <summary>Pad's pads for [B, H, W, C]: zeros at the bottom and right up to whole windows.</summary>
    public string Pads { get; }

    /// <summary>[B, H, W, C] (padded) -> [B, nWh, w, nWw, w, C].</summary>
    public string PartitionShape { get; }

    /// <summary>-> [B·nW, w², C].</summary>
    public string WindowsShape { get; }

    /// <summary>[B·nW, w², C] -> [B, nWh, nWw, w, w, C].</summary>
    public string ReverseShape { get; }

    /// <summary>-> [B, padded H, padded W, C].</summary>
    public string PaddedShape { get; }

    /// <summary>The roll of a shifted block along H: <paramref name="shift"/> when the padded map has more than one window row, else 0.</summary>
    public string ShiftRows(int shift) => _shiftRows ??= EffectiveShift(WindowRows, shift, "rows");

    public string ShiftCols(int shift) => _shiftCols ??= EffectiveShift(WindowCols, shift, "cols");

    /// <summary>
    /// The shifted blocks' attention mask, [nWh, nWw, 1, w², w²]: -100 between two cells of a window that lie in
    /// different regions of torchvision's 3x3 split of the rolled map, 0 elsewhere. Only the last window row and
    /// column straddle region borders (and only along an axis that is really rolled), so the mask is built from two
    /// constant w²xw² "different region" patterns switched on per window row/column.
    /// </summary>
    public string Mask(int shift)
    {
        if (_mask is not null) return _mask;
        var g = _ops.Graph;
        int w = Window, n = Cells;
        // Along one axis, inside a last window, offsets below w - shift come from one region and the rest from the other.
        var rowsDiffer = new float[n * n];
        var colsDiffer = new float[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                rowsDiffer[a * n + b] = (a / w < w - shift) != (b / w < w - shift) ? 1f : 0f;
                colsDiffer[a * n + b] = (a % w < w - shift) != (b % w < w - shift) ? 1f : 0f;
            }
        string rowFlags = LastWindowFlags(WindowRows, "rows", [-1, 1, 1, 1, 1]);
        string colFlags = LastWindowFlags(WindowCols, "cols", [1, -1, 1, 1, 1]);
        string rowPart = g.Node("Mul", [rowFlags, g.Floats($"{_hint}_rows_differ", rowsDiffer, n, n)], $"{_hint}_mask_rows");
        string colPart = g.Node("Mul", [colFlags, g.Floats($"{_hint}_cols_differ", colsDiffer, n, n)], $"{_hint}_mask_cols");
        string differ = g.Node("Max", [rowPart, colPart], $"{_hint}_mask_differ");
        return _mask = g.Node("Mul", [differ, _ops.Scalar($"{_hint}_mask_value", MaskValue)], $"{_hint}_mask");
    }

    /// <summary>The roll amount along one axis: shift · (windows &gt; 1), as a one-element int64 tensor.</summary>
    private string EffectiveShift(string windows, int shift, string axis)
    {
        var g = _ops.Graph;
        string several = g.Node("Greater", [windows, g.Int64s($"{_hint}_one_{axis}", 1)], $"{_hint}_several_{axis}");
        string flag = g.Node("Cast", [several], $"{_hint}_several_{axis}_i64", OnnxGraphBuilder.Int("to", (long)Onnx.Proto.TensorProto.Types.DataType.Int64));
        return g.Node("Mul", [flag, g.Int64s($"{_hint}_shift_{axis}", shift)], $"{_hint}_shift_{axis}");
    }

    /// <summary>1 for the last window along an axis when that axis holds several windows (so it is rolled), else 0; float, reshaped for broadcasting.</summary>
    private string LastWindowFlags(string windows, string axis, long[] shape)
    {
        var g = _ops.Graph;
        string count = g.Node("Squeeze", [windows], $"{_hint}_n_{axis}");
        string index = g.Node("Range", [_ops.Int64Scalar($"{_hint}_zero_{axis}", 0), count, _ops.Int64Scalar($"{_hint}_step_{axis}", 1)], $"{_hint}_index_{axis}");
        string last = g.Node("Sub", [windows, g.Int64s($"{_hint}_one_{axis}_l", 1)], $"{_hint}_last_{axis}");
        string isLast = g.Node("Equal", [index, last], $"{_hint}_is_last_{axis}");
        string several = g.Node("Greater", [windows, g.Int64s($"{_hint}_one_{axis}_s", 1)], $"{_hint}_rolled_{axis}");
        string flag = g.Node("And", [isLast, several], $"{_hint}_flag_{axis}");
        string value = g.Node("Cast", [flag], $"{_hint}_flag_{axis}_f", OnnxGraphBuilder.Int("to", (long)Onnx.Proto.TensorProto.Types.DataType.Float));
        return g.Node("Reshape", [value, g.Int64s($"{_hint}_flag_{axis}_shape", shape)], $"{_hint}_flags_{axis}");
    }
}
