using static TorchSharp.torch;

namespace Nest.Benchmarks;

/// <summary>Whether a very sparse dense layer would run faster as LibTorch's sparse (COO) product than as the
/// masked dense product Nest runs: the forward product of a 128-example batch through a 784 -> 300 layer
/// (LeNet-300-100's first) at several densities, one thread, each result checked against the dense one.</summary>
static class SparseProduct
{
    public static void Run(int repeats)
    {
        set_num_threads(1);
        Console.WriteLine("| density | masked dense product (ms) | sparse COO product (ms) | sparse / dense |");
        Console.WriteLine("|---|---|---|---|");
        using var generator = new Generator(1);
        using var x = rand(new long[] { 128, 784 }, generator: generator);
        using var xt = x.t().contiguous();
        foreach (var density in new[] { 0.5, 0.2, 0.1, 0.05, 0.02, 0.01 })
        {
            using var scope = NewDisposeScope();
            var w = randn(new long[] { 300, 784 }, generator: generator)
                .mul(rand(new long[] { 300, 784 }, generator: generator).lt(density).to_type(ScalarType.Float32));
            var sparse = w.to_sparse();
            if (!mm(sparse, xt).t().allclose(nn.functional.linear(x, w), 1e-4, 1e-4))
                throw new InvalidOperationException($"the sparse product differs from the dense one at density {density}");
            var dense = Timing.Median(repeats, () => { using var _ = NewDisposeScope(); nn.functional.linear(x, w); });
            var coo = Timing.Median(repeats, () => { using var _ = NewDisposeScope(); mm(sparse, xt); });
            Console.WriteLine($"| {density:0.##} | {dense:F3} | {coo:F3} | {coo / dense:F2} |");
        }
    }
}
