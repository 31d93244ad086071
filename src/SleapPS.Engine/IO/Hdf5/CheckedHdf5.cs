using PureHDF;
using PureHDF.VOL.Native;

namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// Opens an HDF5 file for PureHDF only after the checks that must come before it (docs/design/reliability.md §3): the
/// root group's local heap (<see cref="RootLocalHeap"/>) and every header message PureHDF sizes an allocation from
/// (<see cref="AttributeSizes"/>). Every reader of an untrusted HDF5 file opens it here.
/// </summary>
internal static class CheckedHdf5
{
    /// <exception cref="InvalidDataException">A declared size does not fit the file (see <see cref="FileEndsEarly"/>).</exception>
    public static void Check(string path)
    {
        RootLocalHeap.Check(path);
        AttributeSizes.Check(path);
    }

    /// <exception cref="InvalidDataException">A declared size does not fit the file.</exception>
    public static NativeFile OpenRead(string path)
    {
        Check(path);
        return H5File.OpenRead(path);
    }
}
