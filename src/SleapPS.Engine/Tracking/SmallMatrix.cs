namespace SleapPS.Engine.Tracking;

/// <summary>
/// Dense linear algebra on the small matrices of the Kalman filters (a few coordinates, so plain
/// loops; the sizes are 2 × and 4 × the number of followed nodes).
/// </summary>
internal static class SmallMatrix
{
    /// <summary>numpy's float64 eps.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static double[,] Identity(int size)
    {
        var result = new double[size, size];
        for (int i = 0; i < size; i++) result[i, i] = 1;
        return result;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int rows = a.GetLength(0), inner = a.GetLength(1), columns = b.GetLength(1);
        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < inner; k++)
            {
                double aik = a[i, k];
                for (int j = 0; j < columns; j++) result[i, j] += aik * b[k, j];
            }
        return result;
    }

    public static double[] Multiply(double[,] a, double[] x)
    {
        int rows = a.GetLength(0), columns = a.GetLength(1);
        var result = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int j = 0; j < columns; j++) sum += a[i, j] * x[j];
            result[i] = sum;
        }
        return result;
    }

    public static double[,] Transpose(double[,] a)
    {
        int rows = a.GetLength(0), columns = a.GetLength(1);
        var result = new double[columns, rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) result[j, i] = a[i, j];
        return result;
    }

    /// <summary>a · (b · aᵀ), associated as pykalman writes it.</summary>
    public static double[,] Sandwich(double[,] a, double[,] b) => Multiply(a, Multiply(b, Transpose(a)));

    public static double[,] Add(double[,] a, double[,] b) => Combine(a, b, 1);

    public static double[,] Subtract(double[,] a, double[,] b) => Combine(a, b, -1);

    public static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    public static double[] Subtract(double[] a, double[] b) => a.Select((v, i) => v - b[i]).ToArray();

    /// <summary>u · vᵀ.</summary>
    public static double[,] Outer(double[] u, double[] v)
    {
        var result = new double[u.Length, v.Length];
        for (int i = 0; i < u.Length; i++)
            for (int j = 0; j < v.Length; j++) result[i, j] = u[i] * v[j];
        return result;
    }

    public static double[,] Scale(double[,] a, double factor)
    {
        var result = (double[,])a.Clone();
        for (int i = 0; i < result.GetLength(0); i++)
            for (int j = 0; j < result.GetLength(1); j++) result[i, j] *= factor;
        return result;
    }

    /// <summary>
    /// The Moore-Penrose pseudo-inverse of a square matrix, as scipy's <c>linalg.pinv</c> computes it:
    /// from the singular value decomposition, with singular values at or below n · ε · the largest
    /// counted as zero. The matrix is used as given (covariances that rounding left slightly
    /// asymmetric are not symmetrised: the EM iterations amplify any such change).
    /// </summary>
    public static double[,] PseudoInverse(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var (u, singular, v) = SingularValueDecomposition(matrix);
        double cutoff = n * MachineEpsilon * singular.Max();
        var result = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            if (!(singular[k] > cutoff)) continue;
            double inverse = 1 / singular[k];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) result[i, j] += v[i, k] * inverse * u[j, k];
        }
        return result;
    }

    /// <summary>
    /// A = U · diag(σ) · Vᵀ for a square A, by one-sided Jacobi rotations (Hestenes), which keep the
    /// small singular values accurate.
    /// </summary>
    public static (double[,] U, double[] Singular, double[,] V) SingularValueDecomposition(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var u = (double[,])matrix.Clone();
        var v = Identity(n);
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < n; i++)
                    {
                        alpha += u[i, p] * u[i, p];
                        beta += u[i, q] * u[i, q];
                        gamma += u[i, p] * u[i, q];
                    }
                    if (gamma == 0 || Math.Abs(gamma) <= MachineEpsilon * Math.Sqrt(alpha * beta)) continue;
                    rotated = true;
                    // The rotation that makes columns p and q orthogonal.
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1 : -1) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    Rotate(u, p, q, c, s);
                    Rotate(v, p, q, c, s);
                }
            if (!rotated) break;
        }
        var singular = new double[n];
        for (int k = 0; k < n; k++)
        {
            double norm = 0;
            for (int i = 0; i < n; i++) norm += u[i, k] * u[i, k];
            singular[k] = Math.Sqrt(norm);
            if (singular[k] > 0)
                for (int i = 0; i < n; i++) u[i, k] /= singular[k];
        }
        return (u, singular, v);
    }

    private static void Rotate(double[,] columns, int p, int q, double c, double s)
    {
        for (int i = 0; i < columns.GetLength(0); i++)
        {
            double a = columns[i, p], b = columns[i, q];
            columns[i, p] = c * a - s * b;
            columns[i, q] = s * a + c * b;
        }
    }

    private static double[,] Combine(double[,] a, double[,] b, double sign)
    {
        var result = (double[,])a.Clone();
        for (int i = 0; i < result.GetLength(0); i++)
            for (int j = 0; j < result.GetLength(1); j++) result[i, j] += sign * b[i, j];
        return result;
    }
}
