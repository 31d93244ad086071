namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// Checks that a tensor view lies inside its storage before any of its values are read or allocated
/// (docs/design/sleap-nn-checkpoint.md §5).
/// </summary>
internal static class TensorExtent
{
    public static void Check(TensorRecipe tensor, string path)
    {
        var storage = tensor.Storage;
        string view = $"a tensor of size [{string.Join(", ", tensor.Size)}] with strides [{string.Join(", ", tensor.Stride)}] at offset {tensor.StorageOffset}";
        if (tensor.StorageOffset < 0)
            throw CheckpointErrors.Invalid(path, $"{view} starts before its storage '{storage.EntryName}'");

        // Element count and last element reached, in Int128 so no product of declared numbers can overflow unseen.
        Int128 count = 1, last = tensor.StorageOffset;
        for (int i = 0; i < tensor.Size.Length; i++)
        {
            count *= tensor.Size[i];
            if (count > long.MaxValue)
                throw CheckpointErrors.Invalid(path, $"{view} declares more elements than any file holds");
            if (tensor.Size[i] > 0)
                last += (Int128)(tensor.Size[i] - 1) * tensor.Stride[i];
        }
        if (count == 0)
            return;
        if (last >= storage.ElementCount)
            throw CheckpointErrors.Invalid(path,
                $"{view} reaches element {last} of its storage '{storage.EntryName}', which holds {storage.ElementCount} {storage.Type.DType} values");
        // A view that repeats values (stride 0) would allocate more than the file holds; torch.save of a state dict
        // never writes one, so it is refused rather than expanded.
        if (count > storage.ElementCount)
            throw CheckpointErrors.Invalid(path,
                $"{view} has {count} elements, more than the {storage.ElementCount} its storage '{storage.EntryName}' holds");
    }
}
