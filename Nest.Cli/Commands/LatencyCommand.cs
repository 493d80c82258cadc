using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Nest.Runtime;
using Nest.Runtime.Export;
using static TorchSharp.torch;

namespace Nest.Cli.Commands;

/// <summary>
/// <c>nest latency --run DIR</c>: inference latency of the synthesized network's compact export against its dense
/// reference (declared widths, every connection), at batch 1 and 256, in ONNX Runtime and TorchSharp (dense engines:
/// both multiply the zeros within the compact matrices) and, for networks of dense layers, in Nest's own inference
/// from the live connections (<see cref="SparseInference"/>), in one run.
/// Both are exported the same way (<see cref="CompactModel"/>); weights do not change the time of dense operations,
/// so the reference is timed untrained. Each figure is the median of many calls after a warm-up.
/// </summary>
public static class LatencyCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "json" };

    public sealed record Row(string Engine, int Batch, double CompactMicroseconds, double DenseMicroseconds)
    {
        public double Speedup => DenseMicroseconds / CompactMicroseconds;
    }

    public static async Task<int> RunAsync(Arguments args, TextWriter output, CancellationToken cancellationToken)
    {
        var run = args.String("run") ?? throw new UsageException("--run DIR (a synthesis's output folder) is required");
        var threads = args.Int("threads", 1, min: 1);
        var seconds = args.Double("seconds", 2, min: 0.1);
        var json = args.Flag("json");
        var reportPath = args.String("out");
        args.RejectUnknown();
        // --out names a file (the timings as JSON): checked before the minutes of timing, not after.
        if (reportPath is not null
            && (reportPath.Trim().Length == 0 || Directory.Exists(reportPath)
            || Path.GetFileName(reportPath).Length == 0))
            throw new UsageException($"--out must name a file for the timings (got '{reportPath}')");
        set_num_threads(threads);

        var (header, network, module) = ModelFile.Load(Path.Combine(run, "model.nestmodel"));
        using var _ = module;
        var compact = CompactModel.From(network);
        using var referenceNetwork = (IDisposable)SeedCatalog.Find(header.Seed).Create(0, true);
        var dense = CompactModel.From((Nest.Runtime.ISeedNetwork)referenceNetwork);
        var folder = Directory.CreateTempSubdirectory("nest-latency-").FullName;
        try
        {
            var (compactOnnx, denseOnnx) = (Path.Combine(folder, "compact.onnx"), Path.Combine(folder, "dense.onnx"));
            OnnxExport.Write(compact, compactOnnx);
            OnnxExport.Write(dense, denseOnnx);
            using var compactModule = new CompactNetwork(compact);
            using var denseModule = new CompactNetwork(dense);
            var sparse =
                compact.Layers.All(l => l.Kind is LayerKind.Dense or LayerKind.Flatten)
                    ? (new SparseInference(compact), new SparseInference(dense)) : default;
            var rows = new List<Row>();
            foreach (var batch in new[] { 1, 256 })
            {
                cancellationToken.ThrowIfCancellationRequested();
                long[] shape = [batch, .. compact.InputShape.Select(d => (long)d)];
                using var input = randn(shape, generator: new Generator(1));
                rows.Add(
                    new Row("ONNX Runtime", batch, TimeOnnx(compactOnnx, input, threads, seconds, cancellationToken),
                    TimeOnnx(denseOnnx, input, threads, seconds, cancellationToken)));
                rows.Add(
                    new Row("TorchSharp", batch, TimeTorch(compactModule, input, seconds, cancellationToken),
                    TimeTorch(denseModule, input, seconds, cancellationToken)));
                if (sparse is ({ } sparseCompact, { } sparseDense))
                {
                    var values = input.contiguous().data<float>().ToArray();
                    rows.Add(
                        new Row("Nest sparse rows (C#)", batch,
                        Median(() => sparseCompact.Run(values, batch), seconds, cancellationToken),
                        Median(() => sparseDense.Run(values, batch), seconds, cancellationToken)));
                }
            }
            var result = new
            {
                seed = header.Seed, run, threads, secondsPerFigure = seconds,
                compact =
                    new { multiplyAccumulates = compact.DenseMultiplyAccumulates, layers =
                        compact.Layers.Where(l => l.WeightShape is not null).Select(l =>
                            new { l.Name, l.WeightShape, gathered = l.InputIndex?.Length }) },
                dense = new { multiplyAccumulates = dense.DenseMultiplyAccumulates },
                liveMultiplyAccumulates = sparse.Item1?.MultiplyAccumulates,
                rows = rows.Select(r =>
                    new { engine = r.Engine, batch = r.Batch, compactMicroseconds = r.CompactMicroseconds,
                        denseMicroseconds = r.DenseMicroseconds, speedup = r.Speedup }),
                onnxRuntime = typeof(InferenceSession).Assembly.GetName().Version?.ToString(),
                processor = Environment.ProcessorCount + " logical processors",
            };
            var text =
                System.Text.Json.JsonSerializer.Serialize(result,
                    new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
            if (reportPath is not null)
                await CommandData.WriteTextAsync(Path.GetDirectoryName(Path.GetFullPath(reportPath))!,
                Path.GetFileName(reportPath), text, cancellationToken);
            if (json)
            {
                output.WriteLine(text);
                return 0;
            }
            output.WriteLine($"{header.Seed}: compact {compact.DenseMultiplyAccumulates:N0} multiply-accumulates per image as exported, dense reference {dense.DenseMultiplyAccumulates:N0}; {threads} thread(s), median of {seconds:G3} s per figure");
            output.WriteLine($"{"engine",-26} {"batch",5} {"compact (us)",13} {"dense (us)",11} {"speed-up",8}  (dense: the reference in the same engine)");
            foreach (var r in rows)
                output.WriteLine($"{r.Engine,-26} {r.Batch,5} {r.CompactMicroseconds,13:F1} {r.DenseMicroseconds,11:F1} {r.Speedup,7:F1}x");
            foreach (var batch in new[] { 1, 256 })
            {
                var (fastCompact, fastDense) =
                    (rows.Where(r => r.Batch == batch).MinBy(r => r.CompactMicroseconds)!,
                        rows.Where(r => r.Batch == batch).MinBy(r => r.DenseMicroseconds)!);
                output.WriteLine($"batch {batch}: fastest compact {fastCompact.CompactMicroseconds:F1} us ({fastCompact.Engine}) against fastest dense {fastDense.DenseMicroseconds:F1} us " +
                                 $"({fastDense.Engine}): {fastDense.DenseMicroseconds / fastCompact.CompactMicroseconds:F1}x");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static double TimeOnnx(string path, Tensor input, int threads, double seconds, CancellationToken cancellationToken)
    {
        using var options =
            new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel =
                GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(path, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input.contiguous().data<float>().ToArray(), input.shape);
        using var runOptions = new RunOptions();
        string[] inputs = ["input"], outputs = ["logits"];
        return Median(() => { using var result = session.Run(runOptions, inputs, [value], outputs); }, seconds,
            cancellationToken);
    }

    static double TimeTorch(nn.Module<Tensor, Tensor> module, Tensor input, double seconds,
        CancellationToken cancellationToken) =>
        Median(() =>
        {
            using var _ = no_grad();
            using var output = module.forward(input);
        }, seconds, cancellationToken);

    // Warm up for a tenth of the time, then time single calls for the rest; the median resists the odd slow call.
    // Ctrl+C is honoured between two calls, not after the figure.
    static double Median(Action call, double seconds, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds / 10)
        {
            cancellationToken.ThrowIfCancellationRequested();
            call();
        }
        var times = new List<double>();
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < seconds || times.Count < 20)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
