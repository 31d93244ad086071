using System.Text.Json.Nodes;

namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>BatchNormalization at inference: (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta.</summary>
internal static class NormalizationLayers
{
    public static TensorInfo BatchNormalization(LayerContext context)
    {
        var config = context.Config;
        TensorInfo x = context.SingleInput(2, 4);
        int kerasAxis = config.Raw("axis") switch
        {
            null => -1,
            JsonArray { Count: 1 } single => single[0]!.GetValue<int>(),
            JsonValue value => value.GetValue<int>(),
            var other => throw config.Unsupported($"axis {other.ToJsonString()}"),
        };
        if (x.OnnxAxis(kerasAxis) != TensorInfo.ChannelAxis)
            throw config.Unsupported($"axis {kerasAxis} (only the channel axis is converted)");
        float epsilon = (float)config.Double("epsilon", 0.001);
        bool center = config.Bool("center", true), scale = config.Bool("scale", true);
        // Training-time behaviour only: at inference Keras uses the moving statistics whatever these say.
        config.Ignore("momentum", "renorm", "renorm_clipping", "renorm_momentum", "fused", "virtual_batch_size", "adjustment", "synchronized");

        int channels = x.Channels ?? context.Weight("moving_mean", (int?)null).Shape[0];
        float[] gamma = scale ? context.Weight("gamma", channels).Values : Filled(channels, 1f);
        float[] beta = center ? context.Weight("beta", channels).Values : new float[channels];
        var graph = context.Graph;
        string normalized = graph.Node("BatchNormalization",
            [x.Name,
             graph.Floats($"{context.Hint}_gamma", gamma, channels),
             graph.Floats($"{context.Hint}_beta", beta, channels),
             graph.Floats($"{context.Hint}_moving_mean", context.Weight("moving_mean", channels).Values, channels),
             graph.Floats($"{context.Hint}_moving_variance", context.Weight("moving_variance", channels).Values, channels)],
            context.Hint, OnnxGraphBuilder.Float("epsilon", epsilon));
        return new TensorInfo(normalized, x.Rank, channels);
    }

    private static float[] Filled(int count, float value)
    {
        var array = new float[count];
        Array.Fill(array, value);
        return array;
    }
}
