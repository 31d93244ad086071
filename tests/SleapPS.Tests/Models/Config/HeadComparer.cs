using SleapPS.Engine.Models.Config;

namespace SleapPS.Tests.Models.Config;

/// <summary>Compares heads by value, channel lists element by element (records compare lists by reference).</summary>
internal sealed class HeadComparer : IEqualityComparer<HeadConfig?>
{
    public static readonly HeadComparer Instance = new();

    public bool Equals(HeadConfig? x, HeadConfig? y) =>
        x is not null && y is not null
        && x.Kind == y.Kind && x.KerasName == y.KerasName && x.OutputStride == y.OutputStride
        && x.Sigma.Equals(y.Sigma) // NaN equals NaN here: heads without a sigma
        && x.Channels.SequenceEqual(y.Channels);

    public int GetHashCode(HeadConfig? obj) => obj is null ? 0 : HashCode.Combine(obj.Kind, obj.OutputStride);
}
