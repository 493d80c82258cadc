using Nest.Runtime.Kernels;

namespace Nest.Runtime.Tests.Kernels;

/// <summary>The CPU path on arrays large enough to run on several threads, against sorting.</summary>
public class CpuMaskKernelTests
{
    readonly CpuMaskKernels _cpu = new();

    [Fact]
    public void MultiThreadedThresholdMatchesSorting()
    {
        var scores = KernelInputs.Gaussian(1 << 20, seed: 5);
        foreach (var k in new long[] { 1, 1000, 524_288, 1 << 20 })
            Assert.Equal(KernelInputs.KthLargestBySorting(scores, k), _cpu.KthLargest(scores, k));
    }

    [Fact]
    public void MultiThreadedNaNReportsTheFirstIndex()
    {
        var scores = KernelInputs.Gaussian(1 << 20, seed: 6);
        scores[900_000] = float.NaN;
        scores[10] = float.NaN;
        Assert.StartsWith("scores[10] is NaN",
            Assert.Throws<ArgumentException>(() => _cpu.KthLargest(scores, 5)).Message);
    }

    [Fact]
    public void MultiThreadedPruningSelectsExactlyTheThresholdedSet()
    {
        var weight = KernelInputs.Gaussian(1 << 20, seed: 8);
        var mask = KernelInputs.Mask(1 << 20, 0.5, seed: 9);
        var scores = new float[weight.Length];
        _cpu.LiveMagnitudeScores(weight, mask, scores);
        var live = mask.Count(m => m != 0);
        var threshold = _cpu.KthLargest(scores, live / 4);
        var pruned = _cpu.Prune(scores, threshold, mask, weight);
        Assert.Equal(live / 4, pruned);   // continuous values: no ties
        Assert.Equal(live - live / 4, mask.Count(m => m != 0));
    }
}
