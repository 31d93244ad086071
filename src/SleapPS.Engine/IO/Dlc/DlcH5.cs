using PureHDF;
using SleapPS.Engine.IO.Hdf5;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>
/// DeepLabCut's .h5 tables are pandas DataFrames saved by PyTables (docs/design/file-formats.md §13.2). Their column
/// names (scorer, individuals, bodyparts, coords) live only in Python pickles in the table's attributes, which this
/// module does not unpickle, so it recognises such a file and says what to do instead of reading it.
/// </summary>
public static class DlcH5
{
    /// <summary>True when a top-level group of the HDF5 file carries pandas' <c>pandas_type</c> attribute.</summary>
    public static bool IsPandasTable(string path)
    {
        try
        {
            // A damaged size PureHDF would allocate is refused first (docs/design/reliability.md §3).
            RootLocalHeap.Check(path);
            AttributeSizes.Check(path);
            using var file = H5File.OpenRead(path);
            foreach (var child in file.Children())
                if (child is IH5Group group && group.AttributeExists("pandas_type")) return true;
        }
        catch (Exception)
        {
            // Not this format, or damaged (an OutOfMemoryException here is a declared size PureHDF could not
            // allocate): the .slp reader that is tried last names the file and what is wrong.
            return false;
        }
        return false;
    }

    /// <summary>The error for a DeepLabCut (pandas) .h5 file.</summary>
    public static SleapException NotSupported(string path) => new(SleapErrorKind.NotSupported,
        $"Cannot read '{path}': it is a DeepLabCut .h5 table (a pandas DataFrame saved by PyTables), whose column names are stored as Python pickles, " +
        "which SleapPS does not read. Read the CSV that DeepLabCut writes beside it instead (analyze_videos(..., save_as_csv=True), or in Python " +
        "pandas.read_hdf(path).to_csv('table.csv')), then Import-SleapLabels the .csv.", path);
}
