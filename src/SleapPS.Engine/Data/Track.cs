namespace SleapPS.Engine.Data;

/// <summary>An identity followed over time. Instances refer to tracks by reference.</summary>
public sealed class Track
{
    public Track(string name, int spawnedOn = 0)
    {
        Name = name;
        SpawnedOn = spawnedOn;
    }

    public string Name { get; set; }

    /// <summary>The frame index on which a tracker created this track (0 when unknown).</summary>
    public int SpawnedOn { get; set; }

    public override string ToString() => Name;
}
