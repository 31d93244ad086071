namespace SleapPS.Engine.Models.Onnx.Layers;

/// <summary>
/// TensorFlow's padding rules for windowed ops (Conv2D, MaxPooling2D, AveragePooling2D) as ONNX attributes.
/// TF "same": output = ceil(n / stride), total padding = max((out - 1) * stride + k_eff - n, 0), with the
/// odd cell at the bottom/right (ONNX SAME_UPPER). With stride 1 the total is k_eff - 1 for every n, so
/// fixed pads are written; with a larger stride it depends on n, so auto_pad SAME_UPPER lets the
/// runtime compute it per input size (exact as long as the window is not smaller than the stride,
/// which keeps the total non-negative for every n).
/// </summary>
internal static class SamePadding
{
    public static Google.Protobuf.Collections.RepeatedField<Proto.AttributeProto> Attributes(
        LayerContext context, string padding, (int Height, int Width) kernel, (int Height, int Width) strides, (int Height, int Width) dilation)
    {
        var attributes = new Google.Protobuf.Collections.RepeatedField<Proto.AttributeProto>();
        if (padding == "valid")
            return attributes;

        int effectiveHeight = (kernel.Height - 1) * dilation.Height + 1;
        int effectiveWidth = (kernel.Width - 1) * dilation.Width + 1;
        if (strides.Height == 1 && strides.Width == 1)
        {
            int totalHeight = effectiveHeight - 1, totalWidth = effectiveWidth - 1;
            attributes.Add(OnnxGraphBuilder.Ints("pads", totalHeight / 2, totalWidth / 2, totalHeight - totalHeight / 2, totalWidth - totalWidth / 2));
            return attributes;
        }
        if (dilation.Height != 1 || dilation.Width != 1)
            throw context.Config.Unsupported($"padding same with strides {strides.Height}x{strides.Width} and dilation_rate {dilation.Height}x{dilation.Width}");
        if (kernel.Height < strides.Height || kernel.Width < strides.Width)
            throw context.Config.Unsupported($"padding same with a {kernel.Height}x{kernel.Width} window smaller than its strides {strides.Height}x{strides.Width}");
        attributes.Add(OnnxGraphBuilder.String("auto_pad", "SAME_UPPER"));
        return attributes;
    }
}
