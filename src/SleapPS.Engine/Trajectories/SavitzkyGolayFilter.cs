namespace SleapPS.Engine.Trajectories;

/// <summary>
/// Savitzky-Golay smoothing of one unbroken run of values with scipy's savgol_filter edge rule, mode 'interp'
/// (docs/design/trajectories.md §5): inside, the least-squares polynomial of the window centred on each value,
/// evaluated at its centre; on the first and last half-window, the polynomial fitted to the first (last) whole window,
/// evaluated at each position. One coefficient row per position in the window, computed once.
/// </summary>
internal sealed class SavitzkyGolayFilter
{
    private readonly int _window, _half;
    private readonly double[,] _coefficients;

    public SavitzkyGolayFilter(int window, int polyOrder)
    {
        _window = window;
        _half = window / 2;
        _coefficients = Coefficients(window, polyOrder);
    }

    /// <summary>Filters <paramref name="values"/>[start..start+length) into <paramref name="output"/> at the same positions; length ≥ window.</summary>
    public void Apply(double[] values, int start, int length, double[] output)
    {
        for (int i = 0; i < length; i++)
        {
            // The window used: centred on i inside, the first or last whole window near the ends.
            int windowStart = Math.Clamp(i - _half, 0, length - _window);
            int row = i - windowStart;
            double sum = 0;
            for (int j = 0; j < _window; j++) sum += _coefficients[row, j] * values[start + windowStart + j];
            output[start + i] = sum;
        }
    }

    /// <summary>
    /// Row r gives the value at window position r of the polynomial fitted to the window's values: with positions
    /// scaled to u = (j - half) / half (for a well-conditioned fit), V the window's Vandermonde matrix and v(u) the
    /// powers of u, row r is v(u_r)ᵀ (VᵀV)⁻¹ Vᵀ.
    /// </summary>
    private static double[,] Coefficients(int window, int polyOrder)
    {
        int half = window / 2, terms = polyOrder + 1;
        var vandermonde = new double[window, terms];
        for (int j = 0; j < window; j++)
        {
            double u = (double)(j - half) / half, power = 1;
            for (int k = 0; k < terms; k++, power *= u) vandermonde[j, k] = power;
        }
        // Solve (VᵀV) P = Vᵀ for P (terms × window) by Gaussian elimination with partial pivoting.
        var normal = new double[terms, terms];
        var rhs = new double[terms, window];
        for (int a = 0; a < terms; a++)
        {
            for (int b = 0; b < terms; b++)
                for (int j = 0; j < window; j++) normal[a, b] += vandermonde[j, a] * vandermonde[j, b];
            for (int j = 0; j < window; j++) rhs[a, j] = vandermonde[j, a];
        }
        for (int col = 0; col < terms; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < terms; r++)
                if (Math.Abs(normal[r, col]) > Math.Abs(normal[pivot, col])) pivot = r;
            SwapRows(normal, col, pivot);
            SwapRows(rhs, col, pivot);
            for (int r = 0; r < terms; r++)
            {
                if (r == col) continue;
                double factor = normal[r, col] / normal[col, col];
                if (factor == 0) continue;
                for (int c = col; c < terms; c++) normal[r, c] -= factor * normal[col, c];
                for (int c = 0; c < window; c++) rhs[r, c] -= factor * rhs[col, c];
            }
        }
        var coefficients = new double[window, window];
        for (int r = 0; r < window; r++)
            for (int j = 0; j < window; j++)
            {
                double sum = 0;
                for (int k = 0; k < terms; k++) sum += vandermonde[r, k] * rhs[k, j] / normal[k, k];
                coefficients[r, j] = sum;
            }
        return coefficients;
    }

    private static void SwapRows(double[,] matrix, int a, int b)
    {
        if (a == b) return;
        for (int c = 0; c < matrix.GetLength(1); c++) (matrix[a, c], matrix[b, c]) = (matrix[b, c], matrix[a, c]);
    }
}
