using SleapPS.Engine.Models.SleapNn;

namespace SleapPS.Tests.Models.SleapNn;

/// <summary>
/// The state-dict keys, shapes and dtypes a sleap-nn ConvNeXt or SwinT model has, derived from sleap-nn's and
/// torchvision's module structure (stated independently of the graph builder). Checked against the synthetic fixture
/// checkpoints, then used to make zero-weight state dicts for the presets, which have no checkpoint.
/// </summary>
internal static class SleapNnTransformerKeys
{
    public sealed record Key(string Name, long[] Shape, bool Int64 = false);

    public static List<Key> Of(SleapNnBackbone backbone, IReadOnlyList<SleapNnHead> heads)
    {
        var keys = new List<Key>();
        void Add(string name, params long[] shape) => keys.Add(new Key($"model.backbone.{name}", shape));
        void Norm(string name, long channels) { Add($"{name}.weight", channels); Add($"{name}.bias", channels); }
        void Dense(string name, long outputs, long inputs, bool bias = true) { Add($"{name}.weight", outputs, inputs); if (bias) Add($"{name}.bias", outputs); }
        void Conv(string name, long outputs, long inputs, long kernel) { Add($"{name}.weight", outputs, inputs, kernel, kernel); Add($"{name}.bias", outputs); }

        int[] stageChannels;
        int baseFilters;
        if (backbone is ConvNextBackbone convNext)
        {
            var c = convNext.Channels;
            Conv("enc.features.0.0", c[0], convNext.InChannels, convNext.StemPatchKernel);
            Norm("enc.features.0.1", c[0]);
            for (int stage = 0; stage < 4; stage++)
            {
                for (int block = 0; block < convNext.Depths[stage]; block++)
                {
                    string b = $"enc.features.{2 * stage + 1}.{block}";
                    Add($"{b}.layer_scale", c[stage], 1, 1);
                    Conv($"{b}.block.0", c[stage], 1, 7);
                    Norm($"{b}.block.2", c[stage]);
                    Dense($"{b}.block.3", 4 * c[stage], c[stage]);
                    Dense($"{b}.block.5", c[stage], 4 * c[stage]);
                }
                if (stage < 3)
                {
                    Norm($"enc.features.{2 * stage + 2}.0", c[stage]);
                    Conv($"enc.features.{2 * stage + 2}.1", c[stage + 1], c[stage], 2);
                }
            }
            stageChannels = [.. c];
            baseFilters = c[0];
        }
        else
        {
            var swinT = (SwinTBackbone)backbone;
            int e = swinT.EmbedDim, w = swinT.WindowSize;
            Conv("enc.features.0.0", e, swinT.InChannels, swinT.PatchSize);
            Norm("enc.features.0.2", e);
            stageChannels = [e, 2 * e, 4 * e, 8 * e];
            for (int stage = 0; stage < 4; stage++)
            {
                int d = stageChannels[stage];
                for (int block = 0; block < swinT.Depths[stage]; block++)
                {
                    string b = $"enc.features.{2 * stage + 1}.{block}";
                    Norm($"{b}.norm1", d);
                    Add($"{b}.attn.relative_position_bias_table", (2 * w - 1) * (2 * w - 1), swinT.NumHeads[stage]);
                    keys.Add(new Key($"model.backbone.{b}.attn.relative_position_index", [(long)w * w * w * w], Int64: true));
                    Dense($"{b}.attn.qkv", 3 * d, d);
                    Dense($"{b}.attn.proj", d, d);
                    Norm($"{b}.norm2", d);
                    Dense($"{b}.mlp.0", 4 * d, d);
                    Dense($"{b}.mlp.3", d, 4 * d);
                }
                if (stage < 3)
                {
                    Dense($"enc.features.{2 * stage + 2}.reduction", 2 * d, 4 * d, bias: false);
                    Norm($"enc.features.{2 * stage + 2}.norm", 4 * d);
                }
            }
            Norm("enc.norm", 8 * e);
            baseFilters = e;
        }

        // Middle blocks, then the decoder from stride stem·16 down to the output stride.
        int stem = backbone switch { ConvNextBackbone c => c.StemPatchStride, SwinTBackbone s => s.StemPatchStride, _ => 0 };
        int last = stageChannels[3], widened = (int)(last * backbone.FiltersRate), k = backbone.KernelSize;
        int module = 0;
        if (backbone.ConvsPerBlock > 1)
            for (int i = 0; i < backbone.ConvsPerBlock - 1; i++)
                Conv($"middle_blocks.0.blocks.convnext_middle_expand_conv{i}", widened, i == 0 ? last : widened, k);
        if (backbone.ConvsPerBlock > 1) module = 1;
        Conv($"middle_blocks.{module}.blocks.convnext_middle_contract_conv0", widened, widened, k);

        var strideFilters = new Dictionary<int, int>();
        int stride = 16 * stem, inputs = widened;
        for (int block = 0; stride > backbone.OutputStride; block++, stride /= 2)
        {
            int filters = (int)(baseFilters * Math.Pow(backbone.FiltersRate, Math.Max(0, 3 - block)));
            string b = $"dec.decoder_stack.{block}.blocks.dec{block}_s{stride}_to_s{stride / 2}";
            bool concatenates = block < 4;
            if (!backbone.UpInterpolate)
            {
                Add($"{b}_trans_conv.weight", inputs, filters, 3, 3);
                Add($"{b}_trans_conv.bias", filters);
            }
            int refineIn = concatenates ? stageChannels[3 - block] + (backbone.UpInterpolate ? inputs : filters) : filters;
            Conv($"{b}_refine_conv0", filters, refineIn, k);
            if (concatenates) Conv($"{b}_refine_conv1", filters, filters, k);
            strideFilters[stride / 2] = filters;
            inputs = filters;
        }
        for (int i = 0; i < heads.Count; i++)
        {
            keys.Add(new Key($"model.head_layers.{i}.{heads[i].ClassName}.0.weight", [heads[i].OutputChannels, strideFilters[heads[i].OutputStride], 1, 1]));
            keys.Add(new Key($"model.head_layers.{i}.{heads[i].ClassName}.0.bias", [heads[i].OutputChannels]));
        }
        return keys;
    }

    /// <summary>A state dict with these keys: zeros (one shared array per size), and torchvision's relative position index.</summary>
    public static StateDict ZeroWeights(IEnumerable<Key> keys, string sourcePath)
    {
        var zeros = new Dictionary<long, float[]>();
        return new StateDict(sourcePath, keys.Select(key =>
        {
            long count = key.Shape.Aggregate(1L, (a, b) => a * b);
            if (key.Int64)
            {
                int window = (int)Math.Round(Math.Sqrt(Math.Sqrt(count))), cells = window * window;
                var index = new long[count];
                for (int a = 0; a < cells; a++)
                    for (int b = 0; b < cells; b++)
                        index[a * cells + b] = (a / window - b / window + window - 1) * (2 * window - 1) + (a % window - b % window + window - 1);
                return new TorchTensor(key.Name, key.Shape, null, index);
            }
            if (!zeros.TryGetValue(count, out var values)) zeros[count] = values = new float[count];
            return new TorchTensor(key.Name, key.Shape, values, null);
        }));
    }
}
