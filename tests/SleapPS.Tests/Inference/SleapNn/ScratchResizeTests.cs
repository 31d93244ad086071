using SleapPS.Engine.Inference.SleapNn;
using SleapPS.Tests.Support;
using Xunit.Abstractions;

namespace SleapPS.Tests.Inference.SleapNn;

public class ScratchResizeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("minimal_instance_single_instance", "single_instance")]
    [InlineData("minimal_instance_multiclass_bottomup", "multiclass_bottomup")]
    public void Scratch(string frames, string raw)
    {
        var dir = Path.Combine(Paths.RepoRoot, "..", "shared", "fixtures", "sleap-nn", "expected");
        var f = Npz.Load(Path.Combine(dir, frames + "__frames.npz"))["frames"];
        var input = Npz.Load(Path.Combine(dir, raw + "__raw.npz"))["input"];
        int b = f.Shape[0], h = f.Shape[1], w = f.Shape[2], c = f.Shape[3];
        int oh = input.Shape[2], ow = input.Shape[3];
        var resize = new AntialiasedResize();
        int diffs = 0, maxd = 0;
        for (int s = 0; s < b; s++)
        {
            var src = new byte[h * w * c];
            for (int i = 0; i < src.Length; i++) src[i] = (byte)f.Values[s * src.Length + i];
            var dst = new byte[oh * ow * c];
            resize.Resize(src, h, w, c, dst, oh, ow, ow);
            for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) for (int k = 0; k < c; k++)
            {
                int want = (int)input[s, k, y, x];
                int got = dst[(y * ow + x) * c + k];
                if (want != got) { diffs++; maxd = Math.Max(maxd, Math.Abs(want - got)); if (diffs < 10) output.WriteLine($"{s},{k},{y},{x}: want {want} got {got}"); }
            }
        }
        output.WriteLine($"diffs {diffs} max {maxd}");
        Assert.Equal(0, diffs);
    }
}
