namespace SleapPS.Engine.IO.Hdf5;

/// <summary>
/// A boolean as h5py stores numpy's <c>bool</c>: an HDF5 enumeration over an 8-bit integer with the
/// members FALSE = 0 and TRUE = 1, which h5py reads back as <c>?</c>. PureHDF writes a .NET
/// <see cref="bool"/> as a plain <c>u1</c> instead, which SLEAP would read as a number.
/// </summary>
internal enum H5Bool : byte
{
    FALSE = 0,
    TRUE = 1,
}

internal static class H5BoolExtensions
{
    public static H5Bool ToH5(this bool value) => value ? H5Bool.TRUE : H5Bool.FALSE;
}
