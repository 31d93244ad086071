using SleapPS.Engine.Inference.Core;

namespace SleapPS.Engine.Inference.Exports;

/// <summary>
/// Gives a frame's instances identity classes from their class logits, as sleap-nn does for its multi-class top-down
/// exports (docs/design/sleap-nn-exports.md §3.4): softmax of each instance's logits (float32), then one linear
/// assignment over the frame maximising the summed probability (scipy's semantics, <see cref="LinearAssignment"/>).
/// With more instances than classes, the instances left over get no class. Buffers are reused from frame to frame.
/// </summary>
public sealed class ClassAssignment
{
    private float[] _probabilities = [];
    private double[] _cost = [];
    private int[] _classOfRow = [];
    private int _length;

    /// <summary>The last frame's class probabilities, (rows × classes) row-major.</summary>
    public ReadOnlySpan<float> Probabilities => _probabilities.AsSpan(0, _length);

    /// <summary>
    /// Assigns classes to <paramref name="rows"/> instances whose logits are (rows × classes) row-major; returns each row's
    /// class, or −1 when it got none. Valid until the next call.
    /// </summary>
    public ReadOnlySpan<int> Assign(ReadOnlySpan<float> logits, int rows, int classes)
    {
        if (logits.Length != rows * classes)
            throw new ArgumentException($"Expected {rows}x{classes} logits, got {logits.Length}.", nameof(logits));
        var probabilities = Growable.Ensure(ref _probabilities, rows * classes).AsSpan(0, rows * classes);
        var cost = Growable.Ensure(ref _cost, rows * classes).AsSpan(0, rows * classes);
        var classOfRow = Growable.Ensure(ref _classOfRow, rows).AsSpan(0, rows);
        _length = rows * classes;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            var p = probabilities.Slice(r * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float x in row)
                max = MathF.Max(max, x);
            float sum = 0f;
            for (int c = 0; c < classes; c++)
                sum += p[c] = MathF.Exp(row[c] - max);
            for (int c = 0; c < classes; c++)
            {
                p[c] /= sum;
                // scipy refuses NaN (sleap-nn's run would fail): SleapPS forbids that pair instead.
                cost[r * classes + c] = float.IsNaN(p[c]) ? double.PositiveInfinity : -(double)p[c];
            }
        }
        if (!LinearAssignment.TrySolve(cost, rows, classes, classOfRow))
            classOfRow.Fill(-1);   // only NaN logits lead here
        return classOfRow;
    }
}
