using System.Diagnostics;
using Nest.Runtime;
using Nest.Runtime.Data;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Benchmarks;

/// <summary>
/// Where one training batch of a masked LeNet-300-100 spends its time, part by part (the rows' gather, the
/// distortions, forward and loss, backward, the optimizer's step, the per-batch reads of loss and accuracy), over
/// one epoch's worth of batches of random 28 x 28 images: what an epoch costs that the network's size does not;
/// with TorchSharp's SGD step and the masks in the forward pass, then as the trainer runs it (the fused step, which
/// masks the gradients, and no mask in the forward pass).
/// </summary>
static class BatchCosts
{
    public static void Run(int threads, int batches)
    {
        Run(threads, batches, fused: false);
        Run(threads, batches, fused: true);
    }

    static void Run(int threads, int batches, bool fused)
    {
        set_num_threads(threads);
        using var images = rand(new long[] { 55_000, 1, 28, 28 });
        using var labels = randint(10, new long[] { 55_000 });
        var data = new ImageDataset("random", images, labels, 10);
        using var model = nn.Sequential(
            ("flatten", nn.Flatten()), ("fc1", new MaskedLinear(784, 300)), ("r1", nn.ReLU()),
            ("fc2", new MaskedLinear(300, 100)), ("r2", nn.ReLU()), ("logits", new MaskedLinear(100, 10)));
        using var optimizer = optim.SGD(model.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-4);
        var layers = model.modules().OfType<MaskedLayer>().ToArray();
        // As the trainer runs it: the fused step masks the gradients, so the forward pass multiplies by no mask.
        using var fusedSgd = new FusedSgd(model.parameters(), 0.9, 1e-4,
            layers.ToDictionary(l => l.weight_orig.Handle, l => l.weight_mask));
        foreach (var layer in layers) layer.MaskedByOptimizer = fused;
        using var generator = new Generator(0);
        var parts = new[] { "rows", "augment", "forward+loss", "backward", "step", "reads" };
        var seconds = new double[parts.Length];
        using var order = randperm(55_000, generator: generator);
        var clock = new Stopwatch();
        for (int b = 0; b < batches + 20; b++)
        {
            using var scope = NewDisposeScope();
            var times = new double[parts.Length];
            clock.Restart();
            var index = order.narrow(0, b % 400 * 128, 128);
            var (x, y) = data.Rows(index, CPU);
            times[0] = Lap(clock);
            x = RandomAffine.Apply(x, generator);
            times[1] = Lap(clock);
            optimizer.zero_grad();
            var logits = model.forward(x);
            var loss = nn.functional.cross_entropy(logits, y);
            times[2] = Lap(clock);
            loss.backward();
            times[3] = Lap(clock);
            if (fused) fusedSgd.Step(0.05);
            else optimizer.step();
            times[4] = Lap(clock);
            _ = loss.item<float>() + logits.argmax(1).eq(y).sum().item<long>();
            times[5] = Lap(clock);
            if (b >= 20) for (int i = 0; i < parts.Length; i++) seconds[i] += times[i];   // the first batches warm up
        }
        var how = fused ? "as the trainer runs it: fused SGD, masks left to it"
            : "TorchSharp's SGD, masks in the forward pass";
        Console.WriteLine($"\n# One batch of 128 (masked LeNet-300-100, {threads} thread(s)), " +
                          $"mean over {batches} batches, {how}\n");
        Console.WriteLine("| part | ms per batch | share |\n|---|---|---|");
        var total = seconds.Sum();
        for (int i = 0; i < parts.Length; i++)
            Console.WriteLine($"| {parts[i]} | {seconds[i] * 1000 / batches:F3} | {seconds[i] / total:P0} |");
        Console.WriteLine($"| all | {total * 1000 / batches:F3} | |");
    }

    /// <summary>The distortions' sampling grid: LibTorch's affine_grid against Nest's (which must equal it).</summary>
    public static void Grid(int threads, int batches)
    {
        set_num_threads(threads);
        using var generator = new Generator(0);
        double libTorch = 0, nest = 0;
        var same = true;
        var clock = new Stopwatch();
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var theta = rand(128, 2, 3, generator: generator) - 0.5;
            clock.Restart();
            var reference = nn.functional.affine_grid(theta, new long[] { 128, 1, 28, 28 }, align_corners: false);
            libTorch += Lap(clock);
            var grid = RandomAffine.Grid(theta, 28, 28);
            nest += Lap(clock);
            same &= grid.sub(reference).abs().max().item<float>() == 0;
        }
        Console.WriteLine($"\n| sampling grid of 128 images, 28 x 28 | ms per batch |\n|---|---|");
        Console.WriteLine($"| LibTorch affine_grid | {libTorch * 1000 / batches:F3} |");
        Console.WriteLine($"| RandomAffine.Grid | {nest * 1000 / batches:F3} |");
        Console.WriteLine($"\nThe two grids are {(same ? "equal in every value" : "DIFFERENT")}.");
    }

    static double Lap(Stopwatch clock)
    {
        var s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}
