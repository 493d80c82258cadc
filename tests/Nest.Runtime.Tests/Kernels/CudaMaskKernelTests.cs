using Nest.Runtime.Kernels;

namespace Nest.Runtime.Tests.Kernels;

/// <summary>
/// The kernels on a real GPU, against the CPU path: skipped where there is no CUDA device. Scores,
/// thresholds and mask updates must agree exactly (no arithmetic that a GPU may fuse differently).
/// </summary>
public class CudaMaskKernelTests
{
    [SkippableFact]
    public void CudaKernelsAgreeWithTheCpuPath()
    {
        using var cuda = IlgpuMaskKernels.TryCreateCuda();
        Skip.If(cuda is null, "no CUDA device on this machine");
        using var cpu = new CpuMaskKernels();
        const int length = 3_000_001;
        var weight = KernelInputs.Gaussian(length, seed: 21);
        var mask = KernelInputs.Mask(length, 0.4, seed: 22);
        var a = new float[length];
        var b = new float[length];
        cpu.LiveMagnitudeScores(weight, mask, a);
        cuda!.LiveMagnitudeScores(weight, mask, b);
        Assert.Equal(a, b);

        var k = mask.Count(m => m != 0) / 7;
        var threshold = cpu.KthLargest(a, k);
        Assert.Equal(threshold, cuda.KthLargest(a, k));

        var (maskA, weightA, maskB, weightB) =
            ((float[])mask.Clone(), (float[])weight.Clone(), (float[])mask.Clone(), (float[])weight.Clone());
        Assert.Equal(cpu.Prune(a, threshold, maskA, weightA), cuda.Prune(a, threshold, maskB, weightB));
        Assert.Equal(maskA, maskB);
        Assert.Equal(weightA, weightB);
    }
}
