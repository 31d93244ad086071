namespace SleapPS.Engine.Inference.Sharding;

/// <summary>The part files found for one output (by their names: <see cref="ShardPart.PathOf"/>), to be joined into it.</summary>
public sealed class ShardPartSet
{
    public ShardPartSet(string outputPath, IReadOnlyList<string> partPaths)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        ArgumentNullException.ThrowIfNull(partPaths);
        OutputPath = Path.GetFullPath(outputPath);
        PartPaths = partPaths;
    }

    /// <summary>The joined file: the part name without its ".shard-i-of-n".</summary>
    public string OutputPath { get; }

    /// <summary>The parts, by shard.</summary>
    public IReadOnlyList<string> PartPaths { get; }

    /// <summary>The parts in a folder, one set per output, in output-name order.</summary>
    /// <exception cref="SleapException">NotFound when the folder does not exist.</exception>
    public static IReadOnlyList<ShardPartSet> InFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new SleapException(SleapErrorKind.NotFound, $"Cannot find the folder '{full}' because it does not exist.", full);
        return Group(Directory.EnumerateFiles(full, "*.shard-*-of-*.slp").Where(p => ShardPart.ParsePath(p) is not null));
    }

    /// <summary>Part files grouped by the output they belong to, in output-name order.</summary>
    /// <exception cref="SleapException">InvalidArgument naming a file whose name is not a part's.</exception>
    public static IReadOnlyList<ShardPartSet> Group(IEnumerable<string> partPaths)
    {
        ArgumentNullException.ThrowIfNull(partPaths);
        var byOutput = new SortedDictionary<string, List<(int Shard, string Path)>>(StringComparer.Ordinal);
        foreach (string path in partPaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            var (output, shard) = ShardPart.ParsePath(path) ?? throw new SleapException(SleapErrorKind.InvalidArgument,
                $"'{path}' is not a shard's part: its name does not end in '.shard-<i>-of-<n>.slp' (Invoke-SleapPredict -Shard names its parts so).", path);
            if (!byOutput.TryGetValue(output, out var parts)) byOutput[output] = parts = [];
            parts.Add((shard.Index, path));
        }
        return byOutput.Select(kv => new ShardPartSet(kv.Key,
            kv.Value.OrderBy(p => p.Shard).ThenBy(p => p.Path, StringComparer.Ordinal).Select(p => p.Path).ToList())).ToList();
    }
}
