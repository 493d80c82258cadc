using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class ConnectionRegrowthTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    static void Set(Tensor target, float[] values) => TensorAssert.Set(target, values);

    static float[] Values(Tensor t) => TensorAssert.Values(t);

    [Fact]
    public void RegrowthSwitchesOnTheLargestDormantGradientsAtZeroAndNeverOneWithoutGradient()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, new float[] { 1, 0, 0, 0, /**/ 0, 1, 0, 0, /**/ 0, 0, 1, 1 });
        Set(net.Hidden.weight_orig, new float[] { 5, 0, 0, 0, /**/ 0, 5, 0, 0, /**/ 0, 0, 5, 5 });
        // Only three dormant positions have a gradient (indices 3, 8, 9); asked for five, three are grown.
        using var gradient = tensor(new float[] { 9, 0, 0, 0.8f, /**/ 0, 9, 0, 0, /**/ -0.4f, -0.9f, 9, 9 }).reshape(3, 4);

        var grown = ConnectionRegrowth.GrowLayer(net.Hidden, gradient, count: 5, _kernels);

        Assert.Equal(3, grown);
        Assert.Equal(new float[] { 1, 0, 0, 1, /**/ 0, 1, 0, 0, /**/ 1, 1, 1, 1 }, Values(net.Hidden.weight_mask));
        Assert.Equal(new float[] { 5, 0, 0, 0, /**/ 0, 5, 0, 0, /**/ 0, 0, 5, 5 }, Values(net.Hidden.weight_orig));
    }

    [Fact]
    public void RegrowthReturnsTheRatioOfWhatEachLayerLostAndLeavesLiveWeightsAlone()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, Enumerable.Repeat(1f, 12).ToArray());
        Set(net.Hidden.weight_orig, new float[] { 0.9f, -0.1f, 0.5f, 0.05f, -0.7f, 0.3f, 0.2f, -0.6f, 0.8f, -0.4f, 1.0f, 0.15f });
        Set(net.Out.weight_mask, Enumerable.Repeat(1f, 6).ToArray());
        Set(net.Out.weight_orig, new float[] { 0.5f, -0.5f, 0.4f, -0.4f, 0.3f, -0.3f });
        using var data = new ImageDataset("random", randn(256, 4, generator: new Generator(1)), randint(0, 2, 256, generator: new Generator(2)), 2);
        var before = ConnectionRegrowth.LiveCounts(net);
        var hidden = TinyNet.Topology.Layers.Single(l => l.Name == "Hidden").Index;
        var output = TinyNet.Topology.Layers.Single(l => l.Name == "Out").Index;

        MagnitudePruning.PruneLayer(net.Hidden, fraction: 0.5, _kernels);   // 6 of 12 removed, Out untouched
        var survivors = Values(net.Hidden.weight_orig);
        using var generator = new Generator(3);
        var grown = new ConnectionRegrowth(0.5).Regrow(new GrowthContext(net, data, _kernels, new SynthesisSchedule { GradientBatches = 2 }, generator), before);

        Assert.Equal(3, grown);   // half of the 6 removed from Hidden, none for Out
        var after = ConnectionRegrowth.LiveCounts(net);
        Assert.Equal(9, after[hidden]);
        Assert.Equal(6, after[output]);
        var mask = Values(net.Hidden.weight_mask);
        var weights = Values(net.Hidden.weight_orig);
        for (int i = 0; i < 12; i++)
            Assert.Equal(survivors[i] != 0 ? survivors[i] : 0f, weights[i]);   // survivors unchanged, regrown at zero
        Assert.Equal(3, Enumerable.Range(0, 12).Count(i => mask[i] == 1 && survivors[i] == 0));
    }

    [Fact]
    public void ARatioOutsideZeroToOneIsRefusedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SynthesisSchedule { RegrowthRatio = 1 }.Validate());
        Assert.Equal(nameof(SynthesisSchedule.RegrowthRatio), e.ParamName);
    }
}
