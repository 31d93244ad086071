using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SleapPS.Engine.Inference;
using SleapPS.Engine.Inference.Pipeline;
using SleapPS.Engine.Models;

/// <summary>
/// The GPU check (docs/design/gpu.md §8): on every predictor of the fixtures (both model families), the device's float32
/// predictions against the CPU's (they must agree within <see cref="AgreementPixels"/>), the float16 conversion's
/// deviation from the CPU's float32 predictions, and frames per second on the CPU and the device at each batch size, model
/// alone and end to end, in the same run. With --cpu-only the device is the CPU itself (a second, separately loaded
/// predictor), so the whole check runs on a machine without a GPU.
/// </summary>
internal static class GpuCheck
{
    public const double AgreementPixels = 0.05;

    /// <param name="Device">The device checked against the CPU (Cpu with --cpu-only).</param>
    /// <param name="Frames">Frames per predictor for the accuracy figures and per speed run.</param>
    /// <param name="AccuracyOnly">Skip the frames-per-second table.</param>
    internal sealed record Options(ExecutionDevice Device, bool CpuOnly, int Frames, int[] Batches, int Repeats, string? Only, string? ReportPath,
        bool AccuracyOnly = false);

    public static int Run(string fixtures, Options options)
    {
        try
        {
            return Check(fixtures, options);
        }
        catch (SleapPS.Engine.SleapException ex)
        {
            // A device that cannot load (missing CUDA or cuDNN library, no GPU) ends the check with the engine's own message.
            Console.Error.WriteLine($"The GPU check stopped: {ex.Message}");
            if (options.ReportPath is not null) File.AppendAllText(options.ReportPath, $"{Environment.NewLine}The GPU check stopped: {ex.Message}{Environment.NewLine}");
            return 2;
        }
    }

    private static int Check(string fixtures, Options options)
    {
        // The report grows line by line, so a run stopped at its time limit still leaves what it measured.
        if (options.ReportPath is not null) File.WriteAllText(options.ReportPath, "");
        void Line(string text)
        {
            Console.WriteLine(text);
            if (options.ReportPath is not null) File.AppendAllText(options.ReportPath, text + Environment.NewLine);
        }
        // The bench indents a sleap-nn row under its SLEAP 1.4 row; a table row names both ("top-down / sleap-nn ckpt").
        string parent = "";
        var cases = PredictionBench.Cases(fixtures)
            .Where(c => c.MemoryVideo is null)
            .Select(c => c.Name.StartsWith(' ') ? c with { Name = $"{parent} / {c.Name.Trim()}" } : c with { Name = parent = c.Name })
            .Where(c => options.Only is null || c.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        string device = options.CpuOnly ? "Cpu (--cpu-only: the CPU against itself)" : options.Device.ToString();
        Line($"# SleapPS GPU check");
        Line("");
        Line($"- machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Line($"- ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version}, providers: {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())}");
        Line($"- device checked: {device}; {options.Frames} frames per predictor; batches {string.Join(", ", options.Batches)}");
        Line("");

        Line($"## Float32: device against CPU (must agree within {AgreementPixels} px, same instances)");
        Line("");
        Line($"| predictor | max px | mean px | points | unmatched | result |");
        Line($"| --- | ---: | ---: | ---: | ---: | --- |");
        int failures = 0;
        var references = new Dictionary<string, List<FramePrediction>>();
        foreach (var c in cases)
        {
            var reference = Predict(c, ExecutionDevice.Cpu, ModelPrecision.Float32, options.Frames);
            references[c.Name] = reference;
            var onDevice = Predict(c, options.CpuOnly ? ExecutionDevice.Cpu : options.Device, ModelPrecision.Float32, options.Frames);
            var comparison = PredictionComparison.Of(reference, onDevice);
            bool pass = comparison.MaxPixels <= AgreementPixels && comparison.Unmatched == 0;
            if (!pass) failures++;
            Line($"| {c.Name} | {comparison.MaxPixels:0.0000} | {comparison.MeanPixels:0.0000} | {comparison.Points} | {comparison.Unmatched} | {(pass ? "pass" : "FAIL")} |");
        }

        Line("");
        Line($"## Float16 on {(options.CpuOnly ? "the CPU" : options.Device.ToString())} against float32 on the CPU");
        Line("");
        Line($"| predictor | max px | mean px | points | unmatched |");
        Line($"| --- | ---: | ---: | ---: | ---: |");
        foreach (var c in cases)
        {
            var half = Predict(c, options.CpuOnly ? ExecutionDevice.Cpu : options.Device, ModelPrecision.Float16, options.Frames);
            var comparison = PredictionComparison.Of(references[c.Name], half);
            Line($"| {c.Name} | {comparison.MaxPixels:0.0000} | {comparison.MeanPixels:0.0000} | {comparison.Points} | {comparison.Unmatched} |");
        }

        if (options.AccuracyOnly)
            return Result(failures, Line);
        Line("");
        Line($"## Frames per second (end to end through the pipeline / models alone on ready batches; median of {options.Repeats})");
        Line("");
        var devices = options.CpuOnly
            ? new[] { (ExecutionDevice.Cpu, ModelPrecision.Float32) }
            : new[] { (ExecutionDevice.Cpu, ModelPrecision.Float32), (options.Device, ModelPrecision.Float32), (options.Device, ModelPrecision.Float16) };
        Line($"| predictor | batch | {string.Join(" | ", devices.Select(d => $"{d.Item1} {d.Item2} e2e | model"))} |");
        Line($"| --- | ---: |{string.Concat(devices.Select(_ => " ---: | ---: |"))}");
        foreach (var c in cases)
        {
            var predictors = devices.Select(d => Predictor.Load(c.Models, new ModelLoadOptions { Device = d.Item1, Precision = d.Item2 }, new InferenceSettings())).ToArray();
            try
            {
                foreach (int batch in options.Batches)
                {
                    var cells = new List<string>();
                    foreach (var predictor in predictors)
                    {
                        var settings = new InferenceSettings { BatchSize = batch };
                        var targets = PredictionBench.Targets(c, Math.Max(options.Frames, batch));
                        var runs = Enumerable.Range(0, options.Repeats).Select(_ => PredictionBench.EndToEnd(predictor, settings, targets[0].Video, targets)).ToList();
                        var (modelMs, _) = PredictionBench.ModelOnly(predictor, targets[0].Video, batch, runs[0].CropsPerFrame);
                        cells.Add($"{PredictionBench.MedianOf(runs.Select(r => r.Stats.FramesPerSecond)):0.0} | {1000 / modelMs:0.0}");
                    }
                    Line($"| {c.Name} | {batch} | {string.Join(" | ", cells)} |");
                }
            }
            finally
            {
                foreach (var predictor in predictors) predictor.Dispose();
            }
        }

        return Result(failures, Line);
    }

    private static int Result(int failures, Action<string> line)
    {
        line("");
        line(failures == 0
            ? $"Result: every predictor agrees within {AgreementPixels} px."
            : $"Result: {failures} predictor(s) disagree by more than {AgreementPixels} px (or found other instances): see FAIL above.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The predictions of a case's first frames, loaded on a device in a precision (batch 8).</summary>
    private static List<FramePrediction> Predict(PredictionBench.Case c, ExecutionDevice device, ModelPrecision precision, int frames)
    {
        using var predictor = Predictor.Load(c.Models, new ModelLoadOptions { Device = device, Precision = precision }, new InferenceSettings());
        var settings = new InferenceSettings { BatchSize = 8 };
        using var pose = PosePredictors.Create(predictor, settings);
        var pipeline = new PredictionPipeline(pose, new PredictionPipelineOptions { BatchSize = settings.BatchSize });
        return pipeline.Run(PredictionBench.Targets(c, frames)).ToList();
    }
}
