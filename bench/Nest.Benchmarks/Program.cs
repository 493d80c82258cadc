using System.Diagnostics;
using System.Globalization;
using Nest.Runtime.Kernels;
using static TorchSharp.torch;

// Mask-kernel benchmark: threshold selection and the pruning mask update over large score arrays,
// the chosen kernels side by side with the same work done by TorchSharp ops, in one run.
//   dotnet run --project bench/Nest.Benchmarks -c Release -- [--backend cpu|cuda|auto] [--sizes 1000000,61000000] [--repeats 5]
var backend = KernelBackend.Cpu;
var sizes = new long[] { 1_000_000, 61_000_000 };
var repeats = 5;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--backend": backend = Enum.Parse<KernelBackend>(args[++i], ignoreCase: true); break;
        case "--sizes": sizes = args[++i].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

using var kernels = MaskKernels.Create(backend);
Console.WriteLine($"# Mask kernels: {kernels.Name}\n");
Console.WriteLine($"{Environment.ProcessorCount} cores, TorchSharp {get_num_threads()} threads, median of {repeats} runs; " +
                  "GB/s counts the 4-byte scores read by each step (the mask update also reads the mask and weights and writes both).\n");
Console.WriteLine("| scores | step | Nest kernels (ms) | Nest GB/s | TorchSharp (ms) | TorchSharp GB/s | speed-up |");
Console.WriteLine("|---|---|---|---|---|---|---|");

foreach (var n in sizes)
{
    var random = new Random(1);
    var weight = new float[n];
    var mask = new float[n];
    for (long i = 0; i < n; i++)
    {
        weight[i] = (float)(random.NextDouble() * 2 - 1);
        mask[i] = random.NextDouble() < 0.5 ? 1f : 0f;
    }
    var scores = new float[n];
    kernels.LiveMagnitudeScores(weight, mask, scores);
    var live = mask.LongCount(m => m != 0);
    var k = live / 10;   // prune a tenth of the live weights, as one pruning step does

    float threshold = 0;
    var select = Time(repeats, () => threshold = kernels.KthLargest(scores, k));
    var maskCopy = new float[n];
    var weightCopy = new float[n];
    var update = TimePrepared(repeats, () =>
    {
        Array.Copy(mask, maskCopy, n);
        Array.Copy(weight, weightCopy, n);
    }, () => kernels.Prune(scores, threshold, maskCopy, weightCopy));

    // The same with TorchSharp: kthvalue on the candidates' negated scores, then masked updates.
    using var s = from_array(scores);
    using var m = from_array(mask);
    using var w = from_array(weight);
    float torchThreshold = 0;
    var torchSelect = Time(repeats, () =>
    {
        using var scope = NewDisposeScope();
        var candidates = s.masked_select(s.gt(float.NegativeInfinity));
        // the k-th largest is the (count - k + 1)-th smallest
        torchThreshold = candidates.kthvalue(candidates.shape[0] - k + 1, 0, false).values.item<float>();
    });
    if (torchThreshold != threshold) throw new InvalidOperationException($"thresholds differ: Nest {threshold}, TorchSharp {torchThreshold}");
    using var m2 = m.clone();
    using var w2 = w.clone();
    var torchUpdate = TimePrepared(repeats, () =>
    {
        m2.copy_(m);
        w2.copy_(w);
    }, () =>
    {
        using var scope = NewDisposeScope();
        var selected = s.ge(threshold).logical_and_(s.gt(float.NegativeInfinity));
        m2.masked_fill_(selected, 0);
        w2.masked_fill_(selected, 0);
    });

    Row(n, "threshold (k-th largest)", select, torchSelect);
    Row(n, "pruning mask update", update, torchUpdate);
    Row(n, "both", select + update, torchSelect + torchUpdate);
}
return 0;

static double Time(int repeats, Action run) => TimePrepared(repeats, () => { }, run);

static double TimePrepared(int repeats, Action prepare, Action run)
{
    var times = new List<double>();
    for (int r = 0; r < repeats + 1; r++)
    {
        prepare();
        var clock = Stopwatch.StartNew();
        run();
        if (r > 0) times.Add(clock.Elapsed.TotalMilliseconds);   // the first run warms up
    }
    times.Sort();
    return times[times.Count / 2];
}

static void Row(long n, string step, double nestMs, double torchMs)
{
    double GBs(double ms) => n * 4.0 / (ms / 1000) / 1e9;
    Console.WriteLine($"| {n:N0} | {step} | {nestMs:F1} | {GBs(nestMs):F2} | {torchMs:F1} | {GBs(torchMs):F2} | {torchMs / nestMs:F1}x |");
}
