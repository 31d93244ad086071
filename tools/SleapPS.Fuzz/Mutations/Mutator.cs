namespace SleapPS.Fuzz.Mutations;

/// <summary>
/// Turns a fixture's bytes into a mutated copy, deterministically from a seed: the same (bytes, shape, mutation, seed)
/// always gives the same bytes, so a failing case is kept as (fixture, mutation, seed) and regenerated, never stored.
/// </summary>
public static class Mutator
{
    /// <summary>Mutations that work on any bytes.</summary>
    public static readonly IReadOnlyList<string> Generic =
        ["truncate", "flip", "zero-block", "duplicate-chunk", "shuffle-chunks", "huge-word"];

    /// <summary>The mutations tried on files of <paramref name="shape"/>: the generic ones and those aimed at its structure.</summary>
    public static IReadOnlyList<string> NamesFor(FileShape shape) => [.. Generic, .. StructuralFor(shape)];

    private static IReadOnlyList<string> StructuralFor(FileShape shape) => shape switch
    {
        FileShape.Hdf5 => Hdf5Mutations.Names,
        FileShape.Json => JsonMutations.Names,
        FileShape.Yaml => YamlMutations.Names,
        FileShape.Zip => ZipMutations.Names,
        FileShape.Protobuf => ProtobufMutations.Names,
        FileShape.Mp4 => MediaMutations.Mp4Names,
        FileShape.Avi => MediaMutations.AviNames,
        _ => [],
    };

    /// <summary>Applies <paramref name="mutation"/> to a copy of <paramref name="original"/>, drawing every choice from <paramref name="seed"/>.</summary>
    public static byte[] Apply(byte[] original, FileShape shape, string mutation, int seed)
    {
        var rng = new Random(seed);
        return mutation switch
        {
            "truncate" => BinaryMutations.Truncate(original, rng),
            "flip" => BinaryMutations.Flip(original, rng),
            "zero-block" => BinaryMutations.ZeroBlock(original, rng),
            "duplicate-chunk" => BinaryMutations.DuplicateChunk(original, rng),
            "shuffle-chunks" => BinaryMutations.ShuffleChunks(original, rng),
            "huge-word" => BinaryMutations.HugeWord(original, rng),
            _ when Hdf5Mutations.Names.Contains(mutation) => Hdf5Mutations.Apply(original, mutation, rng),
            _ when JsonMutations.Names.Contains(mutation) => JsonMutations.Apply(original, mutation, rng),
            _ when YamlMutations.Names.Contains(mutation) => YamlMutations.Apply(original, mutation, rng),
            _ when ZipMutations.Names.Contains(mutation) => ZipMutations.Apply(original, mutation, rng),
            _ when ProtobufMutations.Names.Contains(mutation) => ProtobufMutations.Apply(original, mutation, rng),
            _ when MediaMutations.Mp4Names.Contains(mutation) || MediaMutations.AviNames.Contains(mutation) => MediaMutations.Apply(original, mutation, rng),
            _ => throw new ArgumentException($"Unknown mutation '{mutation}' for {shape} files.", nameof(mutation)),
        };
    }
}
