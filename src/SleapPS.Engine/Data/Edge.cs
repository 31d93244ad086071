namespace SleapPS.Engine.Data;

/// <summary>A directed body edge of a skeleton, source to destination.</summary>
public sealed record Edge(Node Source, Node Destination)
{
    public override string ToString() => $"{Source.Name} -> {Destination.Name}";
}

/// <summary>A left/right pair of nodes that swap when the animal is mirrored.</summary>
public sealed record Symmetry(Node First, Node Second)
{
    public override string ToString() => $"{First.Name} <-> {Second.Name}";
}
