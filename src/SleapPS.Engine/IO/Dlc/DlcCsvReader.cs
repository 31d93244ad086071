using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SleapPS.Engine.Data;

namespace SleapPS.Engine.IO.Dlc;

/// <summary>
/// Reads a DeepLabCut CSV table (docs/design/file-formats.md §13): labelled data (<c>CollectedData_*.csv</c>, indexed
/// by image path, one index column or DLC's three) or predictions (indexed by frame number, with likelihoods), single-
/// or multi-animal. Bodyparts become one skeleton's nodes in column order; individuals become tracks; a table with
/// likelihoods gives predicted instances whose point scores are the likelihoods.
/// </summary>
public static partial class DlcCsvReader
{
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mov", ".mkv"];

    /// <summary>True when the file's first cell is DLC's "scorer" (and so it is a DLC table, not SLEAP's analysis CSV).</summary>
    public static bool IsDlcCsv(string path)
    {
        using var reader = new StreamReader(path);
        string? first = reader.ReadLine();
        return first is not null && (first.StartsWith("scorer,", StringComparison.Ordinal) || first == "scorer");
    }

    /// <exception cref="SleapException">The file is missing or is not a DLC table (InvalidData, naming the row or cell at fault).</exception>
    public static Labels Read(string path, LabelsReadOptions? options = null)
    {
        string fullPath = LabelsFileChecks.RequireFile(path);
        List<string[]> rows;
        try
        {
            rows = File.ReadLines(fullPath).Where(l => l.Length > 0).Select(SplitCsvLine).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SleapException(SleapErrorKind.ReadError, $"Cannot read '{fullPath}': {ex.Message}", fullPath, ex);
        }
        var labels = Parse(rows, fullPath);
        VideoPathResolver.ResolveAll(labels, options);
        return labels;
    }

    /// <summary>The table as CSV cells (header rows, then data rows); the .h5 reader hands its columns over in the same shape (§13.2).</summary>
    internal static Labels Parse(List<string[]> rows, string path)
    {
        if (rows.Count == 0 || rows[0][0] != "scorer")
            throw Invalid(path, $"its first cell is '{(rows.Count == 0 ? "" : rows[0][0])}', but a DeepLabCut table starts with the header row 'scorer'");
        bool multiAnimal = rows.Count > 1 && rows[1][0] == "individuals";
        int headerRows = multiAnimal ? 4 : 3;
        if (rows.Count < headerRows || rows[headerRows - 2][0] != "bodyparts" || rows[headerRows - 1][0] != "coords")
            throw Invalid(path, $"its header rows are not scorer, {(multiAnimal ? "individuals, " : "")}bodyparts, coords (row {headerRows - 1} starts with '{(rows.Count >= headerRows - 1 ? rows[headerRows - 2][0] : "")}')");
        string[] coords = rows[headerRows - 1];
        int indexColumns = 1;
        while (indexColumns < coords.Length && coords[indexColumns].Length == 0) indexColumns++;

        var columns = new List<(string Individual, int Node, string Coord)>();
        var nodeNames = new List<string>();
        var individuals = new List<string>();
        for (int c = indexColumns; c < coords.Length; c++)
        {
            string coord = coords[c];
            if (coord is not ("x" or "y" or "likelihood"))
                throw Invalid(path, $"column {c + 1} of the coords row is '{coord}'; DeepLabCut's coords are x, y and likelihood");
            string individual = multiAnimal ? Cell(rows[1], c) : "";
            string bodypart = Cell(rows[headerRows - 2], c);
            if (bodypart.Length == 0) throw Invalid(path, $"column {c + 1} has no bodypart");
            if (!nodeNames.Contains(bodypart)) nodeNames.Add(bodypart);
            if (multiAnimal && !individuals.Contains(individual)) individuals.Add(individual);
            columns.Add((individual, nodeNames.IndexOf(bodypart), coord));
        }
        if (!multiAnimal) individuals.Add("");
        bool predicted = columns.Any(c => c.Coord == "likelihood");

        var labels = new Labels { SourcePath = path };
        var skeleton = new Skeleton("DeepLabCut", nodeNames.Select(n => new Node(n)));
        labels.Skeletons.Add(skeleton);
        var tracks = multiAnimal ? individuals.Select(name => new Track(name)).ToList() : [];
        labels.Tracks.AddRange(tracks);
        var videos = new Dictionary<string, Video>(StringComparer.Ordinal);

        // One row's values, individual by individual: [individual * nodes + node].
        int nodes = nodeNames.Count;
        var x = new double[individuals.Count * nodes];
        var y = new double[individuals.Count * nodes];
        var likelihood = new double[individuals.Count * nodes];
        for (int r = headerRows; r < rows.Count; r++)
        {
            string[] row = rows[r];
            var (videoStem, frameIndex) = FrameOf(row, indexColumns, path, r);
            Array.Fill(x, double.NaN); Array.Fill(y, double.NaN); Array.Fill(likelihood, double.NaN);
            for (int c = 0; c < columns.Count; c++)
            {
                string text = Cell(row, indexColumns + c);
                if (text.Length == 0) continue;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw Invalid(path, $"row {r + 1}, column {indexColumns + c + 1} is '{text}', not a number");
                int i = multiAnimal ? individuals.IndexOf(columns[c].Individual) : 0;
                var target = columns[c].Coord switch { "x" => x, "y" => y, _ => likelihood };
                target[i * nodes + columns[c].Node] = value;
            }

            LabeledFrame? frame = null;
            for (int i = 0; i < individuals.Count; i++)
            {
                var points = new Point[nodeNames.Count];
                bool any = false;
                for (int n = 0; n < points.Length; n++)
                {
                    int at = i * nodes + n;
                    bool present = !double.IsNaN(x[at]) && !double.IsNaN(y[at]);
                    any |= present;
                    points[n] = present
                        ? new Point(x[at], y[at], Score: predicted ? likelihood[at] : double.NaN)
                        : predicted ? new Point(double.NaN, double.NaN, Score: likelihood[at]) : Point.Missing;
                }
                if (!any) continue;
                if (frame is null)
                {
                    frame = new LabeledFrame(VideoFor(videoStem ?? StemOfTable(path), path, videos, labels), frameIndex);
                    labels.LabeledFrames.Add(frame);
                }
                var track = multiAnimal ? tracks[i] : null;
                frame.Instances.Add(predicted ? new PredictedInstance(skeleton, points, double.NaN, track) : new Instance(skeleton, points, track));
            }
        }
        return labels;
    }

    /// <summary>A frame number index, or an image path (one column, or DLC's three: labeled-data, video folder, image) whose last number is the frame.</summary>
    private static (string? VideoStem, long Frame) FrameOf(string[] row, int indexColumns, string path, int r)
    {
        string index = string.Join('/', row.Take(indexColumns).Where(s => s.Length > 0)).Replace('\\', '/');
        if (long.TryParse(index, NumberStyles.Integer, CultureInfo.InvariantCulture, out long frame)) return (null, frame);
        string[] parts = index.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var numbers = Digits().Matches(Path.GetFileNameWithoutExtension(parts.LastOrDefault() ?? ""));
        if (parts.Length < 2 || numbers.Count == 0)
            throw Invalid(path, $"row {r + 1} is indexed by '{index}', which is neither a frame number nor an image path 'labeled-data/<video>/img<frame>.png'");
        return (parts[^2], long.Parse(numbers[^1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>A predictions table is named "&lt;video stem&gt;DLC_&lt;scorer&gt;.csv" by DeepLabCut.</summary>
    private static string StemOfTable(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        int dlc = stem.IndexOf("DLC_", StringComparison.Ordinal);
        return dlc > 0 ? stem[..dlc] : stem;
    }

    /// <summary>The video a stem names: a movie of that stem beside the table or in a DLC project's videos folder, else the bare stem.</summary>
    private static Video VideoFor(string stem, string tablePath, Dictionary<string, Video> videos, Labels labels)
    {
        if (videos.TryGetValue(stem, out var video)) return video;
        string folder = Path.GetDirectoryName(tablePath)!;
        var folders = new[] { folder, Path.GetDirectoryName(folder), Path.GetDirectoryName(Path.GetDirectoryName(folder)) }
            .OfType<string>().SelectMany(f => new[] { f, Path.Combine(f, "videos") });
        string? found = folders.SelectMany(f => VideoExtensions.Select(e => Path.Combine(f, stem + e))).FirstOrDefault(File.Exists);
        video = new Video(found ?? stem, VideoBackend.Media);
        videos[stem] = video;
        labels.Videos.Add(video);
        return video;
    }

    private static string Cell(string[] row, int column) => column < row.Length ? row[column] : "";

    /// <summary>Splits one CSV line, honouring pandas' quoting (fields with commas or quotes are quoted, quotes doubled).</summary>
    internal static string[] SplitCsvLine(string line)
    {
        if (!line.Contains('"')) return line.Split(',');
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells.ToArray();
    }

    private static SleapException Invalid(string path, string problem) =>
        new(SleapErrorKind.InvalidData, $"Cannot read '{path}' as a DeepLabCut table: {problem}.", path);

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
