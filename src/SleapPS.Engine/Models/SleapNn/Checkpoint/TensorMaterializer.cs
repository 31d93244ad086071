namespace SleapPS.Engine.Models.SleapNn.Checkpoint;

/// <summary>
/// Copies a tensor view out of its storage's raw bytes into a row-major <see cref="TorchTensor"/>, honouring the
/// storage offset and strides, and converting the element type (docs/design/sleap-nn-checkpoint.md §4). The view was
/// checked against the storage by <see cref="TensorExtent"/>.
/// </summary>
internal static class TensorMaterializer
{
    public static TorchTensor Materialize(string name, TensorRecipe tensor, byte[] storageBytes)
    {
        var type = tensor.Storage.Type;
        int count = checked((int)tensor.ElementCount);
        if (type.IsFloat)
        {
            var values = new float[count];
            if (IsContiguous(tensor) && type.Element == TorchElement.Float32)
                Buffer.BlockCopy(storageBytes, checked((int)tensor.StorageOffset * 4), values, 0, count * 4);
            else
                ForEachIndex(tensor, (i, at) => values[i] = type.ReadFloat(storageBytes, at));
            return new TorchTensor(name, tensor.Size, values, null);
        }
        var integers = new long[count];
        if (IsContiguous(tensor) && type.Element == TorchElement.Int64)
            Buffer.BlockCopy(storageBytes, checked((int)tensor.StorageOffset * 8), integers, 0, count * 8);
        else
            ForEachIndex(tensor, (i, at) => integers[i] = type.ReadInt64(storageBytes, at));
        return new TorchTensor(name, tensor.Size, null, integers);
    }

    // Buffer.BlockCopy copies the platform's byte order; torch's storages are little-endian, as is every platform
    // .NET runs SleapPS on, and a big-endian checkpoint was refused before this point.
    private static bool IsContiguous(TensorRecipe tensor)
    {
        if (!BitConverter.IsLittleEndian)
            return false;
        long expected = 1;
        for (int d = tensor.Size.Length - 1; d >= 0; d--)
        {
            if (tensor.Size[d] != 1 && tensor.Stride[d] != expected)
                return false;
            expected *= tensor.Size[d];
        }
        return true;
    }

    /// <summary>Calls <paramref name="copy"/>(row-major index, storage element index) for every element.</summary>
    private static void ForEachIndex(TensorRecipe tensor, Action<int, int> copy)
    {
        int rank = tensor.Size.Length;
        long count = tensor.ElementCount;
        if (count == 0)
            return;
        var position = new long[rank];
        long at = tensor.StorageOffset;
        for (int i = 0; i < count; i++)
        {
            copy(i, (int)at);
            // Advance the multi-index like an odometer, last dimension fastest.
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++position[d] < tensor.Size[d])
                {
                    at += tensor.Stride[d];
                    break;
                }
                at -= (tensor.Size[d] - 1) * tensor.Stride[d];
                position[d] = 0;
            }
        }
    }
}
