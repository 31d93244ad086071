namespace SleapPS.Engine.Inference.Core;

/// <summary>
/// Where tf.image.crop_and_resize samples along one axis for a box from make_centered_bboxes (docs/design/inference.md §3.5),
/// with TF's float32 arithmetic: the box (c - (S-1)/2, c + (S-1)/2) is normalised by (size - 1) and mapped back, so
/// positions are c - (S-1)/2 + i up to float rounding, exactly as TF computes them.
/// </summary>
internal static class CropGeometry
{
    /// <summary>
    /// Fills <paramref name="positions"/> (length = crop size) with the sample positions along an axis of
    /// <paramref name="imageSize"/> pixels; a position TF treats as outside the image is NaN.
    /// </summary>
    public static void Positions(float centre, int imageSize, Span<float> positions)
    {
        int cropSize = positions.Length;
        float halfExtent = (cropSize - 1) * 0.5f;
        float low = centre + -halfExtent, high = centre + halfExtent;
        int last = imageSize - 1;
        // normalize_bboxes divides by (size - 1) in float32; crop_and_resize multiplies back.
        float lowNormalised = low / (float)last, highNormalised = high / (float)last;
        if (cropSize > 1)
        {
            float step = (highNormalised - lowNormalised) * last / (cropSize - 1);
            for (int i = 0; i < cropSize; i++)
                positions[i] = Inside(lowNormalised * last + i * step, last);
        }
        else
        {
            // TF computes the single centre position in double (0.5 is a double literal there).
            positions[0] = Inside((float)(0.5 * (lowNormalised + highNormalised) * last), last);
        }
    }

    // crop_and_resize extrapolates (writes 0) for positions outside [0, size - 1]; NaN (a 1-pixel axis) also counts as outside.
    private static float Inside(float position, int last) => position >= 0 && position <= last ? position : float.NaN;
}
