using Nest.Runtime.Kernels;
using Nest.Runtime.Tests.Kernels;

namespace Nest.Benchmarks;

/// <summary>
/// Before timing a device, proves it computes what the CPU path computes, bit for bit, on the cases
/// the unit tests use (random, ties, all equal, NaN, empty, odd lengths, and one large array): the
/// CUDA test of the test project, runnable on a GPU machine that has no .NET SDK.
/// </summary>
static class KernelVerification
{
    public static bool Run(IMaskKernels kernels)
    {
        using var cpu = new CpuMaskKernels();
        var failures = new List<string>();
        int checks = 0;
        void Check(string name, bool ok)
        {
            checks++;
            if (!ok) failures.Add(name);
        }

        foreach (var length in new[] { 0, 1, 7, 37, 1000, 4099, 65_537, 3_000_001 })
        {
            foreach (var (kind, values) in new[] { ("gaussian", KernelInputs.Gaussian(length, 21)),
                ("ties", KernelInputs.Ties(length, 23)), ("all-equal", Enumerable.Repeat(0.5f, length).ToArray()) })
            {
                var name = $"{kind} n={length}";
                var mask = KernelInputs.Mask(length, 0.4, 22);
                foreach (var live in new[] { true, false })
                {
                    var a = new float[length];
                    var b = new float[length];
                    if (live)
                        { cpu.LiveMagnitudeScores(values, mask, a); kernels.LiveMagnitudeScores(values, mask, b); }
                    else { cpu.DormantGradientScores(values, mask, a); kernels.DormantGradientScores(values, mask, b); }
                    Check($"{name} {(live ? "live" : "dormant")} scores", a.AsSpan().SequenceEqual(b));
                    var candidates = a.LongCount(s => s > float.NegativeInfinity);
                    foreach (var k in new[] { 1, candidates / 7, candidates / 2, candidates }.Where(k =>
                        k >= 1 && k <= candidates).Distinct())
                    {
                        var threshold = cpu.KthLargest(a, k);
                        Check($"{name} k={k} threshold", threshold == kernels.KthLargest(a, k));
                        var (maskA, weightA, maskB, weightB) =
                            ((float[])mask.Clone(), (float[])values.Clone(), (float[])mask.Clone(),
                                (float[])values.Clone());
                        var countA =
                            live ? cpu.Prune(a, threshold, maskA, weightA) : cpu.Grow(a, threshold, maskA, weightA);
                        var countB =
                            live ? kernels.Prune(a, threshold, maskB, weightB)
                                : kernels.Grow(a, threshold, maskB, weightB);
                        Check($"{name} k={k} mask update",
                            countA == countB && maskA.AsSpan().SequenceEqual(maskB)
                            && weightA.AsSpan().SequenceEqual(weightB));
                    }
                }
            }
        }

        var withNan = KernelInputs.Gaussian(4099, 5);
        withNan[1234] = float.NaN;
        string Message(IMaskKernels k)
        {
            try { k.KthLargest(withNan, 10); return "no error"; }
            catch (ArgumentException e) { return e.Message; }
        }
        Check("NaN rejected with its index", Message(kernels) == Message(cpu) && Message(kernels).Contains("1234"));

        foreach (var (batch, neurons) in new[] { (1, 1), (256, 300), (7, 4099) })
        {
            var activations = KernelInputs.Gaussian(batch * neurons, 9);
            var a = new float[neurons];
            var b = new float[neurons];
            cpu.NeuronMagnitudes(activations, batch, neurons, a);
            kernels.NeuronMagnitudes(activations, batch, neurons, b);
            Check($"neuron magnitudes {batch}x{neurons}", a.AsSpan().SequenceEqual(b));
        }

        // LeNet-5's second convolution on a batch of 16, and a strided, padded one.
        foreach (var g in new[] { new ConvGeometry(16, 20, 12, 12, 50, 5, 1, 0),
            new ConvGeometry(3, 3, 11, 13, 4, 3, 2, 1) })
        {
            var input = KernelInputs.Gaussian((int)g.InputLength, 3);
            var kernel = KernelInputs.Gaussian((int)g.KernelLength, 4);
            var a = new float[g.ScoreLength];
            var b = new float[g.ScoreLength];
            cpu.PartialAreaScores(input, kernel, g, a);
            kernels.PartialAreaScores(input, kernel, g, b);
            var worst = a.Zip(b, (x, y) => Math.Abs(x - y) / Math.Max(1e-30f, Math.Abs(x))).Max();
            Check($"partial-area scores {g} (largest relative difference {worst:G3})", a.AsSpan().SequenceEqual(b));
        }

        Console.WriteLine($"Verification against the CPU path: {checks - failures.Count} of {checks} checks equal bit for bit.");
        foreach (var failure in failures) Console.WriteLine($"  DIFFERS: {failure}");
        Console.WriteLine();
        return failures.Count == 0;
    }
}
