using Nest.Runtime.Tests.Seeds;
using Nest.Samples.Seeds;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class SeedInitializationTests
{
    [Fact]
    public void LiveConnectionsEqualTheGeneratedSeedCounts()
    {
        using var net = new LeNet5(randomSeed: 3);
        var net5 = (ISeedNetwork)net;
        foreach (var layer in LeNet5.Topology.Layers.Where(l => l.HasWeights))
            Assert.Equal(layer.SeedConnections, net5.MaskedLayerAt(layer.Index)!.LiveConnections);
        Assert.Equal(LeNet5.SeedConnections, LeNet5.Topology.Layers.Sum(l => l.SeedConnections));
    }

    [Fact]
    public void SameRandomSeedGivesIdenticalMasksAndWeights()
    {
        using var a = new LeNet300(randomSeed: 42);
        using var b = new LeNet300(randomSeed: 42);
        Assert.True(TensorAssert.Same(a.Fc1.weight_mask, b.Fc1.weight_mask));
        Assert.True(TensorAssert.Same(a.Fc1.weight_orig, b.Fc1.weight_orig));
        Assert.True(TensorAssert.Same(a.Logits.weight_orig, b.Logits.weight_orig));
    }

    [Fact]
    public void DifferentRandomSeedsGiveDifferentMasks()
    {
        using var a = new LeNet300(randomSeed: 1);
        using var b = new LeNet300(randomSeed: 2);
        Assert.False(TensorAssert.Same(a.Fc1.weight_mask, b.Fc1.weight_mask));
    }

    [Fact]
    public void DormantWeightsStartAtZero()
    {
        using var net = new LeNet300(randomSeed: 5);
        using var dormant = net.Fc1.weight_orig.masked_select(net.Fc1.weight_mask.eq(0));
        Assert.Equal(0, dormant.abs().sum().item<float>());
        using var live = net.Fc1.weight_orig.masked_select(net.Fc1.weight_mask.eq(1));
        Assert.Equal(0, live.eq(0).sum().item<long>());
    }

    [Fact]
    public void LiveWeightsAreUniformWithinOneOverTheRootOfTheEffectiveFanIn()
    {
        // LeNet-300-100's Fc1 reads 784 inputs at a declared density of 0.1: an effective fan-in of 78.4.
        using var net = new LeNet300(randomSeed: 5);
        var bound = 1 / Math.Sqrt(0.1 * 784);
        using var live = net.Fc1.weight_orig.masked_select(net.Fc1.weight_mask.eq(1));

        Assert.True(live.abs().max().item<float>() <= bound);
        // Uniform: the largest of about 23,500 draws is within 0.1% of the bound, and the deviation is bound / sqrt 3.
        Assert.True(live.abs().max().item<float>() > 0.999 * bound);
        Assert.Equal(bound / Math.Sqrt(3), live.std().item<float>(), 0.01 * bound);
    }

    [Fact]
    public void ActiveCountRoundsHalfAwayFromZeroAndKeepsOneConnection()
    {
        Assert.Equal(3, SeedDensity.ActiveCount(5, 0.5));
        Assert.Equal(1, SeedDensity.ActiveCount(1000, 1e-9));
        Assert.Equal(1000, SeedDensity.ActiveCount(1000, 1.0));
    }

    [Fact]
    public void StateDictUsesPyTorchPruneNames()
    {
        using var net = new LeNet5();
        var keys = net.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight_orig", keys);
        Assert.Contains("conv1.weight_mask", keys);
        Assert.Contains("conv1.bias", keys);
        Assert.Contains("fc1.weight_orig", keys);
        Assert.Equal(12, keys.Count);
        Assert.Equal(8, net.parameters().Count());
    }

    [Fact]
    public void DenseReferenceHasDeclaredWidthsAndEveryConnection()
    {
        using var net = LeNet300.CreateDenseReference(randomSeed: 1);
        Assert.True(net.IsDenseReference);
        Assert.Equal(300, net.Fc1.out_features);
        Assert.Equal(300, net.Fc2.in_features);
        Assert.Equal(100, net.Fc2.out_features);
        var live = new MaskedLayer[] { net.Fc1, net.Fc2, net.Logits }.Sum(l => l.LiveConnections);
        var biases = new MaskedLayer[] { net.Fc1, net.Fc2, net.Logits }.Sum(l => l.bias!.numel());
        Assert.Equal(LeNet300.ReferenceParameters, live + biases);
    }
}
