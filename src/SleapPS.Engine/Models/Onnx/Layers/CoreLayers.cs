using System.Text.Json.Nodes;

namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>Activation layers, inference-time identities (Dropout), Flatten, Reshape and Dense.</summary>
internal static class CoreLayers
{
    public static TensorInfo Activation(LayerContext context) =>
        Activations.ApplyConfigured(context, context.SingleInput());

    /// <summary>Keras ReLU layer: max(x, 0), capped at max_value; other slopes/thresholds are not converted.</summary>
    public static TensorInfo ReLU(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput();
        double slope = config.Double("negative_slope", 0), threshold = config.Double("threshold", 0);
        if (slope != 0) throw config.Unsupported($"negative_slope {LayerConfig.Format(slope)}");
        if (threshold != 0) throw config.Unsupported($"threshold {LayerConfig.Format(threshold)}");
        if (config.Raw("max_value") is null)
            return x with { Name = context.Graph.Node("Relu", [x.Name], context.Hint) };
        float max = (float)config.Double("max_value", double.PositiveInfinity);
        string low = context.Graph.Floats($"{context.Hint}_min", [0f]);
        string high = context.Graph.Floats($"{context.Hint}_max", [max]);
        return x with { Name = context.Graph.Node("Clip", [x.Name, low, high], context.Hint) };
    }

    public static TensorInfo LeakyReLU(LayerContext context)
    {
        TensorInfo x = context.SingleInput();
        float alpha = (float)context.Config.Double("alpha", 0.3);
        return x with { Name = context.Graph.Node("LeakyRelu", [x.Name], context.Hint, OnnxGraphBuilder.Float("alpha", alpha)) };
    }

    public static TensorInfo Softmax(LayerContext context)
    {
        TensorInfo x = context.SingleInput();
        int kerasAxis = context.Config.Int("axis", -1);
        int axis = x.OnnxAxis(kerasAxis);
        if (axis <= 0) throw context.Config.Unsupported($"axis {kerasAxis}");
        return x with { Name = context.Graph.Node("Softmax", [x.Name], context.Hint, OnnxGraphBuilder.Int("axis", axis)) };
    }

    /// <summary>Dropout and noise layers do nothing at inference; the tensor passes through unchanged.</summary>
    public static TensorInfo Identity(LayerContext context)
    {
        context.Config.Ignore("rate", "noise_shape", "seed", "stddev", "l1", "l2");
        return context.SingleInput();
    }

    /// <summary>Flattens in Keras' (H, W, C) order: a rank-2 input is unchanged; NCHW goes back to NHWC first.</summary>
    public static TensorInfo Flatten(LayerContext context)
    {
        TensorInfo x = context.SingleInput(2, 4);
        context.Config.RequireChannelsLast();
        if (x.Rank == 2) return x;
        string nhwc = context.Graph.Node("Transpose", [x.Name], $"{context.Hint}_nhwc", OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));
        return new TensorInfo(context.Graph.Node("Flatten", [nhwc], context.Hint, OnnxGraphBuilder.Int("axis", 1)), 2, null);
    }

    /// <summary>
    /// Keras Reshape to target_shape (batch kept), in Keras' channels-last element order. Inputs and
    /// targets of rank 2 (features) or 4 (images) are converted.
    /// </summary>
    public static TensorInfo Reshape(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(2, 4);
        if (config.Raw("target_shape") is not JsonArray target || target.Count is not (1 or 3))
            throw config.Unsupported($"target_shape {config.Raw("target_shape")?.ToJsonString() ?? "null"}");
        long[] dims = target.Select(d => (long)d!.GetValue<int>()).ToArray();
        if (dims.Any(d => d == 0 || d < -1)) throw config.Unsupported($"target_shape {target.ToJsonString()}");

        var graph = context.Graph;
        string source = x.Rank == 4 ? graph.Node("Transpose", [x.Name], $"{context.Hint}_nhwc", OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1)) : x.Name;
        // 0 keeps the batch size; -1 is inferred, as in Keras.
        string shape = graph.Int64s($"{context.Hint}_shape", [0, .. dims]);
        string reshaped = graph.Node("Reshape", [source, shape], dims.Length == 3 ? $"{context.Hint}_nhwc" : context.Hint);
        int? channels = dims[^1] > 0 ? (int)dims[^1] : null;
        if (dims.Length == 1)
            return new TensorInfo(reshaped, 2, channels);
        return new TensorInfo(graph.Node("Transpose", [reshaped], context.Hint, OnnxGraphBuilder.Ints("perm", 0, 3, 1, 2)), 4, channels);
    }

    /// <summary>x·W + b over Keras' last axis: Gemm for (N, features); a 1x1 Conv for images.</summary>
    public static TensorInfo Dense(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(2, 4);
        int units = config.Int("units");
        bool useBias = config.Bool("use_bias", true);
        var kernel = context.Weight("kernel", x.Channels, units);
        int inFeatures = kernel.Shape[0];
        var graph = context.Graph;
        float[] bias = useBias ? context.Weight("bias", units).Values : new float[units];

        string result;
        if (x.Rank == 2)
        {
            result = graph.Node("Gemm", [x.Name, graph.Floats($"{context.Hint}_kernel", kernel.Values, inFeatures, units), graph.Floats($"{context.Hint}_bias", bias, units)], context.Hint);
        }
        else
        {
            float[] w = WeightLayout.Transpose2(kernel.Values, inFeatures, units); // (units, in) = Conv's (Cout, Cin, 1, 1)
            result = graph.Node("Conv", [x.Name, graph.Floats($"{context.Hint}_kernel", w, units, inFeatures, 1, 1), graph.Floats($"{context.Hint}_bias", bias, units)], context.Hint,
                OnnxGraphBuilder.Ints("kernel_shape", 1, 1));
        }
        return Activations.ApplyConfigured(context, new TensorInfo(result, x.Rank, units));
    }
}
