namespace SleapPS.Engine.Models.Keras;

/// <summary>One weight array of a Keras layer, as stored in best_model.h5 (row-major, Keras layout).</summary>
public sealed class KerasWeight
{
    internal KerasWeight(string name, float[] values, int[] shape)
    {
        Name = name;
        Values = values;
        Shape = shape;
        Variable = VariableOf(name);
    }

    /// <summary>The name listed in the layer's <c>weight_names</c>, e.g. <c>stack0_enc0_conv0/kernel:0</c>.</summary>
    public string Name { get; }

    /// <summary>The variable's short name, e.g. <c>kernel</c>, <c>bias</c>, <c>gamma</c>, <c>moving_mean</c>.</summary>
    public string Variable { get; }

    public float[] Values { get; }

    public IReadOnlyList<int> Shape { get; }

    /// <summary>"<c>layer/kernel:0</c>" -> "<c>kernel</c>": the last path part without the output index.</summary>
    internal static string VariableOf(string weightName)
    {
        string last = weightName[(weightName.LastIndexOf('/') + 1)..];
        int colon = last.LastIndexOf(':');
        return colon < 0 ? last : last[..colon];
    }
}
