using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class FisherSaliencyTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    static void Set(Tensor target, float[] values) => TensorAssert.Set(target, values);

    static float[] Values(Tensor t) => TensorAssert.Values(t);

    /// <summary>Random images whose input 3 is always zero: weights reading it never change the loss.</summary>
    static ImageDataset InputThreeAlwaysZero()
    {
        var images = randn(256, 4, generator: new Generator(1));
        images[.., 3] = zeros(256);
        return new ImageDataset("input 3 zero", images, randint(0, 2, 256, generator: new Generator(2)), 2);
    }

    static Dictionary<int, float[]> Factors(TinyNet net, ImageDataset data)
    {
        using var generator = new Generator(3);
        return FisherSaliency.Factors(net, data, batches: 4, batchSize: 32, generator);
    }

    [Fact]
    public void AWeightReadingAnInputThatIsAlwaysZeroHasNoSaliency()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, Enumerable.Repeat(1f, 12).ToArray());
        using var data = InputThreeAlwaysZero();

        var hidden = Factors(net, data)[TinyNet.Topology.Layers.Single(l => l.Name == "Hidden").Index];

        for (int row = 0; row < 3; row++)
        {
            Assert.Equal(0f, hidden[row * 4 + 3]);
            Assert.True(hidden[row * 4] > 0, $"row {row}: a weight reading a random input must have a positive factor");
        }
    }

    [Fact]
    public void WithSaliencyAnUnusedLargeWeightGoesBeforeSmallerUsedOnes()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, Enumerable.Repeat(1f, 12).ToArray());
        // Row 0's weight on the dead input 3 is the largest of the layer; by magnitude it would stay.
        Set(net.Hidden.weight_orig, new float[] { 0.5f, -0.4f, 0.3f, 2.0f, /**/ 0.6f, 0.5f, -0.7f, 0.2f, /**/ -0.5f, 0.45f, 0.35f, 0.1f });
        using var data = InputThreeAlwaysZero();
        var factors = Factors(net, data);

        new MagnitudePruning(0.25, saliency: factors).Prune(net, _kernels);   // 3 of Hidden's 12: the three on input 3

        var mask = Values(net.Hidden.weight_mask);
        Assert.Equal(new float[] { 0, 0, 0 }, new[] { mask[3], mask[7], mask[11] });
        Assert.Equal(9, mask.Count(m => m == 1));
    }

    [Fact]
    public void ANoSaliencyFactorNeverRevivesADeadConnection()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, new float[] { 1, 1, 1, 0, /**/ 1, 1, 1, 0, /**/ 1, 1, 1, 0 });
        Set(net.Hidden.weight_orig, new float[] { 0.5f, 0.4f, 0.3f, 0, /**/ 0.6f, 0.5f, 0.7f, 0, /**/ 0.5f, 0.45f, 0.35f, 0 });
        using var data = InputThreeAlwaysZero();
        var factors = Factors(net, data);   // zero on the dead column: -infinity x 0 must not become a score

        new MagnitudePruning(0.25, saliency: factors).Prune(net, _kernels);

        var mask = Values(net.Hidden.weight_mask);
        Assert.Equal(new float[] { 0, 0, 0 }, new[] { mask[3], mask[7], mask[11] });
        Assert.Equal(7, mask.Count(m => m == 1));   // 9 live, 25% of them (2) removed, none revived
        Assert.All(Values(net.Hidden.weight_orig), w => Assert.False(float.IsNaN(w)));
    }

    [Fact]
    public void SaliencyWithoutAFactorForALayerIsRefusedByName()
    {
        using var net = new TinyNet();
        var factors = new Dictionary<int, float[]>();

        var error = Assert.Throws<ArgumentException>(() => new MagnitudePruning(0.25, saliency: factors).Prune(net, _kernels));

        Assert.Contains("'Hidden'", error.Message);
    }
}
