namespace SleapPS.Engine.Inference.Core;

/// <summary>Buffers that are reused from batch to batch and only grow, so hot loops allocate nothing once warm.</summary>
internal static class Growable
{
    /// <summary>
    /// The array, replaced by a larger one (at least double) when it holds fewer than <paramref name="length"/> items.
    /// The content is not kept: for scratch buffers that are rewritten whole.
    /// </summary>
    public static T[] Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length)
            array = new T[Math.Max(length, array.Length * 2)];
        return array;
    }

    /// <summary>Like <see cref="Ensure{T}"/>, keeping the content (for buffers that are appended to).</summary>
    public static void EnsureKeep<T>(ref T[] array, int length)
    {
        if (array.Length < length)
            Array.Resize(ref array, Math.Max(length, array.Length * 2));
    }
}
