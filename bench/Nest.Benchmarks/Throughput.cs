using ILGPU;
using ILGPU.Runtime;
using Nest.Runtime.Kernels;

namespace Nest.Benchmarks;

/// <summary>The throughput tables: from host arrays (what the synthesis loop does today, transfers
/// included) and, for ILGPU devices, on arrays already on the device (what the kernels themselves do).</summary>
static class Throughput
{
    public static void Run(IMaskKernels kernels, BenchOptions options)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores{(options.Torch ? $", TorchSharp {TorchOps.Threads} threads" : "")}, median of {options.Repeats} runs; " +
                          "GB/s counts the 4-byte scores read by each step (the mask update also reads the mask and weights and writes both).\n");
        Console.WriteLine("## From host arrays\n");
        Console.WriteLine(options.Torch
            ? "| scores | step | Nest kernels (ms) | Nest GB/s | TorchSharp (ms) | TorchSharp GB/s | speed-up |\n|---|---|---|---|---|---|---|"
            : "| scores | step | Nest kernels (ms) | Nest GB/s |\n|---|---|---|---|");
        var device = new List<string>();
        foreach (var n in options.Sizes)
        {
            var (weight, mask) = Inputs(n);
            var scores = new float[n];
            kernels.LiveMagnitudeScores(weight, mask, scores);
            var k = mask.LongCount(m => m != 0) / 10;   // prune a tenth of the live weights, as one pruning step does

            float threshold = 0;
            var select = Timing.Median(options.Repeats, () => threshold = kernels.KthLargest(scores, k));
            var maskCopy = new float[n];
            var weightCopy = new float[n];
            var update = Timing.Median(options.Repeats, () =>
            {
                Array.Copy(mask, maskCopy, n);
                Array.Copy(weight, weightCopy, n);
            }, () => kernels.Prune(scores, threshold, maskCopy, weightCopy));

            if (options.Torch)
            {
                var (torchSelect, torchUpdate) = TorchOps.Time(scores, mask, weight, k, threshold, options.Repeats);
                Row(n, "threshold (k-th largest)", select, torchSelect);
                Row(n, "pruning mask update", update, torchUpdate);
                Row(n, "both", select + update, torchSelect + torchUpdate);
            }
            else
            {
                Row(n, "threshold (k-th largest)", select);
                Row(n, "pruning mask update", update);
                Row(n, "both", select + update);
            }
            if (kernels is IlgpuMaskKernels ilgpu)
                device.AddRange(OnDevice(ilgpu, scores, mask, weight, k, threshold, options));
        }
        if (device.Count == 0) return;
        Console.WriteLine("\n## On the device (arrays resident, no transfers)\n");
        Console.WriteLine("Bytes: the threshold reads the scores three times (one pass per radix digit of 11, 11 and 10 bits); the update reads scores, mask and " +
                          "weights and writes the mask and weight of each pruned position." +
                          (options.PeakGBs > 0 ? $" Peak: {options.PeakGBs:F0} GB/s (data sheet).\n" : "\n"));
        Console.WriteLine("| scores | step | ms | GB/s of bytes moved | % of peak |\n|---|---|---|---|---|");
        foreach (var line in device) Console.WriteLine(line);
    }

    static IEnumerable<string> OnDevice(IlgpuMaskKernels kernels, float[] scores, float[] mask, float[] weight, long k,
        float threshold, BenchOptions options)
    {
        var accelerator = kernels.Accelerator;
        long n = scores.Length;
        using var s = accelerator.Allocate1D(scores);
        using var m0 = accelerator.Allocate1D(mask);
        using var w0 = accelerator.Allocate1D(weight);
        using var m = accelerator.Allocate1D<float>(n);
        using var w = accelerator.Allocate1D<float>(n);
        float onDevice = 0;
        var select = Timing.Median(options.Repeats, () => onDevice = kernels.KthLargest(s.View, k));
        if (onDevice != threshold)
            throw new InvalidOperationException($"device-resident threshold {onDevice} differs from {threshold}");
        long pruned = 0;
        var update = Timing.Median(options.Repeats, () =>
        {
            m.View.CopyFrom(m0.View);
            w.View.CopyFrom(w0.View);
            accelerator.Synchronize();
        }, () => pruned = kernels.Prune(s.View, threshold, m.View, w.View));
        string Line(string step, double ms, double bytes)
        {
            var gbs = bytes / (ms / 1000) / 1e9;
            var peak = options.PeakGBs > 0 ? $"{100 * gbs / options.PeakGBs:F0}%" : "n/a";
            return $"| {n:N0} | {step} | {ms:F3} | {gbs:F0} | {peak} |";
        }
        yield return Line("threshold (k-th largest)", select, 12.0 * n);
        yield return Line("pruning mask update", update, 12.0 * n + 8.0 * pruned);
    }

    static void Row(long n, string step, double nestMs)
    {
        Console.WriteLine($"| {n:N0} | {step} | {nestMs:F1} | {GBs(n, nestMs):F2} |");
    }

    static void Row(long n, string step, double nestMs, double torchMs)
    {
        Console.WriteLine($"| {n:N0} | {step} | {nestMs:F1} | {GBs(n, nestMs):F2} | {torchMs:F1} | {GBs(n, torchMs):F2} | {torchMs / nestMs:F1}x |");
    }

    static double GBs(long n, double ms) => n * 4.0 / (ms / 1000) / 1e9;

    /// <summary>Weights uniform in [-1, 1), half of them live: the same data every run.</summary>
    static (float[] Weight, float[] Mask) Inputs(long n)
    {
        var random = new Random(1);
        var weight = new float[n];
        var mask = new float[n];
        for (long i = 0; i < n; i++)
        {
            weight[i] = (float)(random.NextDouble() * 2 - 1);
            mask[i] = random.NextDouble() < 0.5 ? 1f : 0f;
        }
        return (weight, mask);
    }
}
