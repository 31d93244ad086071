namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>Concatenate and the element-wise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum).</summary>
internal static class MergeLayers
{
    /// <summary>Joins along Keras' axis (SLEAP: -1, the channels = ONNX axis 1), inputs in call order.</summary>
    public static TensorInfo Concatenate(LayerContext context)
    {
        var inputs = SameRank(context);
        int kerasAxis = context.Config.Int("axis", -1);
        int axis = inputs[0].OnnxAxis(kerasAxis);
        if (axis <= 0) throw context.Config.Unsupported($"axis {kerasAxis}");
        int? channels = axis == TensorInfo.ChannelAxis
            ? (inputs.All(i => i.Channels is not null) ? inputs.Sum(i => i.Channels!.Value) : null)
            : inputs[0].Channels;
        string joined = context.Graph.Node("Concat", inputs.Select(i => i.Name).ToList(), context.Hint, OnnxGraphBuilder.Int("axis", axis));
        return new TensorInfo(joined, inputs[0].Rank, channels);
    }

    public static TensorInfo Add(LayerContext context) => Chain(context, "Add");

    public static TensorInfo Multiply(LayerContext context) => Chain(context, "Mul");

    public static TensorInfo Maximum(LayerContext context) => Chain(context, "Max");

    public static TensorInfo Minimum(LayerContext context) => Chain(context, "Min");

    public static TensorInfo Subtract(LayerContext context)
    {
        var inputs = SameRank(context);
        if (inputs.Count != 2) throw context.Config.Invalid($"is called on {inputs.Count} tensors instead of two");
        return Result(inputs, context.Graph.Node("Sub", [inputs[0].Name, inputs[1].Name], context.Hint));
    }

    /// <summary>The mean of the inputs, summed in call order then scaled, as Keras does.</summary>
    public static TensorInfo Average(LayerContext context)
    {
        var inputs = SameRank(context);
        TensorInfo sum = Chain(context, "Add");
        string scale = context.Graph.Floats($"{context.Hint}_scale", [1f / inputs.Count]);
        return sum with { Name = context.Graph.Node("Mul", [sum.Name, scale], context.Hint) };
    }

    /// <summary>Applies a binary op left to right over the inputs (Keras merges pairwise in call order).</summary>
    private static TensorInfo Chain(LayerContext context, string opType)
    {
        var inputs = SameRank(context);
        string result = inputs[0].Name;
        for (int i = 1; i < inputs.Count; i++)
            result = context.Graph.Node(opType, [result, inputs[i].Name], context.Hint);
        return Result(inputs, result);
    }

    private static TensorInfo Result(IReadOnlyList<TensorInfo> inputs, string name) =>
        new(name, inputs[0].Rank, inputs.Select(i => i.Channels).Where(c => c is not null).DefaultIfEmpty(null).Max());

    private static IReadOnlyList<TensorInfo> SameRank(LayerContext context)
    {
        var inputs = context.Inputs;
        if (inputs.Count < 2) throw context.Config.Invalid($"is called on {inputs.Count} tensor(s); a merge layer needs at least two");
        if (inputs.Any(i => i.Rank != inputs[0].Rank))
            throw context.Config.Unsupported($"inputs of different ranks ({string.Join(", ", inputs.Select(i => i.Rank))})");
        return inputs;
    }
}
