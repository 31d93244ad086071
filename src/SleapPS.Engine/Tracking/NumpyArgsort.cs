namespace SleapPS.Engine.Tracking;

/// <summary>
/// numpy's default <c>argsort</c> (introsort: median-of-3 quicksort with insertion sort below 17
/// elements and heapsort past the depth limit). Greedy matching takes cells in this order, so ties
/// between equal costs break exactly as in SLEAP (NaN sorts last).
/// </summary>
internal static class NumpyArgsort
{
    private const int SmallQuicksort = 16;

    public static int[] Argsort(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (order.Length > 1) Sort(values, order);
        return order;
    }

    private static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    private static void Sort(ReadOnlySpan<double> v, int[] tosort)
    {
        var stack = new Stack<(int Left, int Right, int Depth)>();
        int pl = 0, pr = tosort.Length - 1;
        int depth = 2 * MostSignificantBit(tosort.Length);
        while (true)
        {
            bool heapSorted = false;
            if (depth < 0)
            {
                HeapSort(v, tosort, pl, pr - pl + 1);
                heapSorted = true;
            }
            else
            {
                while (pr - pl > SmallQuicksort)
                {
                    int pm = pl + ((pr - pl) >> 1);
                    if (Less(v[tosort[pm]], v[tosort[pl]])) Swap(tosort, pm, pl);
                    if (Less(v[tosort[pr]], v[tosort[pm]])) Swap(tosort, pr, pm);
                    if (Less(v[tosort[pm]], v[tosort[pl]])) Swap(tosort, pm, pl);
                    double vp = v[tosort[pm]];
                    int pi = pl, pj = pr - 1;
                    Swap(tosort, pm, pj);
                    while (true)
                    {
                        do ++pi; while (Less(v[tosort[pi]], vp));
                        do --pj; while (Less(vp, v[tosort[pj]]));
                        if (pi >= pj) break;
                        Swap(tosort, pi, pj);
                    }
                    Swap(tosort, pi, pr - 1);
                    // The larger partition waits on the stack; the loop goes on with the smaller.
                    if (pi - pl < pr - pi)
                    {
                        stack.Push((pi + 1, pr, --depth));
                        pr = pi - 1;
                    }
                    else
                    {
                        stack.Push((pl, pi - 1, --depth));
                        pl = pi + 1;
                    }
                }
            }
            if (!heapSorted)
            {
                for (int pi = pl + 1; pi <= pr; pi++)
                {
                    int vi = tosort[pi];
                    double value = v[vi];
                    int pj = pi;
                    while (pj > pl && Less(value, v[tosort[pj - 1]]))
                    {
                        tosort[pj] = tosort[pj - 1];
                        pj--;
                    }
                    tosort[pj] = vi;
                }
            }
            if (stack.Count == 0) break;
            (pl, pr, depth) = stack.Pop();
        }
    }

    private static void HeapSort(ReadOnlySpan<double> v, int[] tosort, int start, int n)
    {
        // numpy's aheapsort with 1-based indexing over tosort[start .. start + n).
        int At(int k) => start + k - 1;
        for (int l = n >> 1; l > 0; --l)
            SiftDown(v, tosort, l, n, At);
        for (; n > 1;)
        {
            int tmp = tosort[At(n)];
            tosort[At(n)] = tosort[At(1)];
            tosort[At(1)] = tmp;
            n -= 1;
            SiftDown(v, tosort, 1, n, At);
        }
    }

    private static void SiftDown(ReadOnlySpan<double> v, int[] tosort, int l, int n, Func<int, int> at)
    {
        int tmp = tosort[at(l)];
        int i = l, j = l << 1;
        while (j <= n)
        {
            if (j < n && Less(v[tosort[at(j)]], v[tosort[at(j + 1)]])) j += 1;
            if (Less(v[tmp], v[tosort[at(j)]]))
            {
                tosort[at(i)] = tosort[at(j)];
                i = j;
                j += j;
            }
            else break;
        }
        tosort[at(i)] = tmp;
    }

    private static int MostSignificantBit(int n)
    {
        int depth = 0;
        while ((n >>= 1) != 0) depth++;
        return depth;
    }

    private static void Swap(int[] a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);
}
