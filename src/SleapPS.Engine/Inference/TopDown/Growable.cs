namespace SleapPS.Engine.Inference.TopDown;

/// <summary>Buffers that are reused from batch to batch and only grow, so hot loops allocate nothing once warm.</summary>
internal static class Growable
{
    /// <summary>The array, replaced by a larger one (at least double) when it holds fewer than <paramref name="length"/> items.</summary>
    public static T[] Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
            array = new T[Math.Max(length, array.Length * 2)];
        return array;
    }
}
