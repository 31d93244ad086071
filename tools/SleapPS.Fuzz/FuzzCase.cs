using System.Text;
using SleapPS.Fuzz.Mutations;

namespace SleapPS.Fuzz;

/// <summary>
/// One case: which fixture, which mutation, and the seed of the mutation's choices. Planned from (kind, run seed,
/// index) alone, so the supervisor knows a case it never saw finish, and a test regenerates the same bytes.
/// </summary>
public sealed record FuzzCase(string Kind, int Index, string Fixture, string Mutation, int MutationSeed)
{
    public static FuzzCase Plan(FuzzKind kind, int runSeed, int index)
    {
        var rng = new Random(StableSeed(kind.Name, runSeed, index));
        string fixture = kind.Fixtures[rng.Next(kind.Fixtures.Count)];
        var mutations = Mutator.NamesFor(kind.Shape);
        string mutation = mutations[rng.Next(mutations.Count)];
        return new FuzzCase(kind.Name, index, fixture, mutation, rng.Next());
    }

    /// <summary>The mutated bytes of this case.</summary>
    public byte[] Bytes(FixtureRoots roots) =>
        Mutator.Apply(roots.Bytes(Fixture), FuzzKinds.Named(Kind).Shape, Mutation, MutationSeed);

    /// <summary>How to regenerate it: the fixture, the mutation and its seed (the form regression tests keep).</summary>
    public override string ToString() => $"{Kind} #{Index}: {Fixture} {Mutation} seed {MutationSeed}";

    /// <summary>FNV-1a of the kind's name, mixed with the run seed and index: the same on every machine and .NET version.</summary>
    private static int StableSeed(string kind, int runSeed, int index)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(kind))
            hash = (hash ^ b) * 16777619;
        hash = (hash ^ (uint)runSeed) * 16777619;
        hash = (hash ^ (uint)index) * 16777619;
        return (int)(hash & 0x7FFFFFFF);
    }
}
