namespace SleapPS.Engine.Data;

/// <summary>A named body part. Skeletons hold nodes by reference, so two skeletons may share one.</summary>
public sealed class Node
{
    public Node(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    public string Name { get; set; }

    public override string ToString() => Name;
}
