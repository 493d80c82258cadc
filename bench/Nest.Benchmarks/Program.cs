using System.Globalization;
using Nest.Benchmarks;
using Nest.Runtime.Kernels;

// Mask-kernel benchmark: threshold selection and the pruning mask update over large score arrays,
// the chosen kernels side by side with the same work done by TorchSharp ops, in one run.
//   dotnet run --project bench/Nest.Benchmarks -c Release -- [--backend cpu|cuda|auto] [--sizes 1000000,61000000]
//       [--repeats 5] [--no-torch] [--verify] [--peak-gbs 4800]
// --no-torch skips the TorchSharp columns (for a GPU machine without LibTorch); --verify first checks
// that the chosen kernels give exactly what the CPU path gives; --peak-gbs is the device's memory
// bandwidth from its data sheet, to report the device-resident figures against.
//   dotnet run --project bench/Nest.Benchmarks -c Release -- --sparse-product [--repeats 100]
// instead times a very sparse dense layer's forward product as LibTorch's sparse product against the masked dense one.
//   dotnet run --project bench/Nest.Benchmarks -c Release -- --batch-costs [--threads 1] [--repeats 400]
// instead times each part of a masked LeNet-300-100 training batch (what an epoch costs beyond its arithmetic).
var options = new BenchOptions();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--backend": options.Backend = Enum.Parse<KernelBackend>(args[++i], ignoreCase: true); break;
        case "--sizes": options.Sizes =
            args[++i].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--repeats": options.Repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-torch": options.Torch = false; break;
        case "--verify": options.Verify = true; break;
        case "--peak-gbs": options.PeakGBs = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--sparse-product": options.SparseProduct = true; break;
        case "--batch-costs": options.BatchCosts = true; break;
        case "--threads": options.Threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

if (options.BatchCosts)
{
    BatchCosts.Run(options.Threads, options.Repeats);
    BatchCosts.Grid(options.Threads, options.Repeats);
    return 0;
}
if (options.SparseProduct)
{
    SparseProduct.Run(options.Repeats);
    return 0;
}
using var kernels = MaskKernels.Create(options.Backend);
Console.WriteLine($"# Mask kernels: {kernels.Name}\n");
var verified = !options.Verify || KernelVerification.Run(kernels);
Throughput.Run(kernels, options);
return verified ? 0 : 1;   // timings still print when verification fails, but the run fails

namespace Nest.Benchmarks
{
    /// <summary>What the command line asked for.</summary>
    sealed class BenchOptions
    {
        public KernelBackend Backend { get; set; } = KernelBackend.Cpu;
        public long[] Sizes { get; set; } = { 1_000_000, 61_000_000 };
        public int Repeats { get; set; } = 5;
        public bool Torch { get; set; } = true;
        public bool Verify { get; set; }
        public bool BatchCosts { get; set; }
        public int Threads { get; set; } = 1;
        public double PeakGBs { get; set; }
        public bool SparseProduct { get; set; }
    }
}
