using Nest.Dsl;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>A tiny dense seed whose numbers can be checked by hand: 4 inputs, 3 hidden, 2 outputs.</summary>
[SeedNetwork(Input = new[] { 4 }, Classes = 2)]
public sealed partial class TinyNet
{
    [Dense(3, Density = 0.5, MaxWidth = 6)] public partial MaskedLinear Hidden { get; }
    [Dense(2)] public partial MaskedLinear Out { get; }
}

public class SynthesisPolicyTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    static void Set(Tensor target, float[] values) => TensorAssert.Set(target, values);

    [Fact]
    public void ConnectionGrowthSwitchesOnTheLargestDormantGradientsAtZero()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, new float[] { 1, 0, 0, 0, /**/ 0, 1, 0, 0, /**/ 0, 0, 1, 1 });
        Set(net.Hidden.weight_orig, new float[] { 5, 0, 0, 0, /**/ 0, 5, 0, 0, /**/ 0, 0, 5, 5 });
        // The largest |gradient| is at a live position (index 0): it must not count. Among dormant
        // ones the largest are index 9 (-0.9) and index 3 (0.8).
        using var gradient =
            tensor(new float[] { 9, 0.1f, 0.2f, 0.8f, /**/ 0.3f, 9, 0.05f, 0, /**/ -0.4f, -0.9f, 9, 9 }).reshape(3, 4);

        var grown = ConnectionGrowth.GrowLayer(net.Hidden, gradient, ratio: 2.0 / 4.0, _kernels);   // 4 live -> grow 2

        Assert.Equal(2, grown);
        Assert.Equal(new float[] { 1, 0, 0, 1, /**/ 0, 1, 0, 0, /**/ 0, 1, 1, 1 },
            net.Hidden.weight_mask.flatten().data<float>().ToArray());
        Assert.Equal(new float[] { 5, 0, 0, 0, /**/ 0, 5, 0, 0, /**/ 0, 0, 5, 5 },
            net.Hidden.weight_orig.flatten().data<float>().ToArray());
    }

    [Fact]
    public void MagnitudePruningRemovesOnlyConnectionsAtOrBelowTheThreshold()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, Enumerable.Repeat(1f, 12).ToArray());
        var weights = new float[] { 0.9f, -0.1f, 0.5f, 0.05f, -0.7f, 0.3f, 0.2f, -0.6f, 0.8f, -0.4f, 1.0f, 0.15f };
        Set(net.Hidden.weight_orig, weights);

        var pruned = MagnitudePruning.PruneLayer(net.Hidden, fraction: 0.25, _kernels);   // 3 of 12

        Assert.Equal(3, pruned);
        var mask = net.Hidden.weight_mask.flatten().data<float>().ToArray();
        var kept = net.Hidden.weight_orig.flatten().data<float>().ToArray();
        for (int i = 0; i < 12; i++)
        {
            var removed = Math.Abs(weights[i]) <= 0.15f;   // the three smallest: 0.05, 0.1, 0.15
            Assert.Equal(removed ? 0f : 1f, mask[i]);
            Assert.Equal(removed ? 0f : weights[i], kept[i]);
        }
    }

    [Fact]
    public void NeuronGrowthWiresTheNewNeuronFromAHandComputedG()
    {
        using var net = new TinyNet();
        // G[m, n] over (2 outputs) x (4 inputs): one pair stands out, (m = 1, n = 2) with G = -4.
        using var g = tensor(new float[] { 0.1f, 0, 0.2f, 0, /**/ 0, 0.3f, -4, 0 }).reshape(2, 4);

        var connections = NeuronGrowth.AddNeuron(net, 0, 1, g, beta: 1.0 / 8, birthStrength: 0, _kernels);

        Assert.Equal(2, connections);
        Assert.Equal(4, net.Hidden.out_features);
        Assert.Equal(4, net.Out.in_features);
        // fan-in sqrt|G| = 2 from input 2; fan-out 2 to output 1 with the sign that makes the product
        // (+2 x +2 = +4) equal to -G = +4.
        Assert.Equal(new float[] { 0, 0, 2, 0 }, net.Hidden.weight_orig[3].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 1, 0 }, net.Hidden.weight_mask[3].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 2 }, net.Out.weight_orig.select(1, 3).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1 }, net.Out.weight_mask.select(1, 3).data<float>().ToArray());
    }

    [Fact]
    public void NeuronGrowthRescalesToTheBirthStrength()
    {
        using var net = new TinyNet(randomSeed: 3);
        using var g = tensor(new float[] { 0.1f, 0, 0.2f, 0, /**/ 0, 0.3f, -4, 0 }).reshape(2, 4);
        var liveMean =
            (net.Hidden.weight_orig.abs() * net.Hidden.weight_mask).sum().item<float>() / net.Hidden.weight_mask.sum().item<float>();

        NeuronGrowth.AddNeuron(net, 0, 1, g, beta: 1.0 / 8, birthStrength: 0.5, _kernels);

        Assert.Equal(0.5f * liveMean, net.Hidden.weight_orig[3][2].item<float>(), 5);
    }

    [Fact]
    public void DeadNeuronsAreRemovedPhysically()
    {
        using var net = new TinyNet();
        Set(net.Out.weight_mask, new float[] { 1, 0, 1, /**/ 1, 0, 0 });   // hidden unit 1 feeds nothing
        var before = net.Hidden.weight_orig.select(0, 2).clone();

        var outcome = new DeadNeuronPruning().Prune(net, _kernels);

        Assert.Equal(1, outcome.NeuronsRemoved);
        Assert.Equal(2, net.Hidden.out_features);
        Assert.Equal(2, net.Out.in_features);
        Assert.True(TensorAssert.Same(before, net.Hidden.weight_orig.select(0, 1)));   // old unit 2 is now 1
    }

    [Fact]
    public void CaptureGivesTheGradientAtDormantPositionsWhereWeightOrigHasNone()
    {
        using var net = new TinyNet(randomSeed: 2);
        net.Hidden.CaptureGradients = true;
        using var scope = NewDisposeScope();
        var loss =
            nn.functional.cross_entropy(net.forward(randn(8, 4, generator: new Generator(1))),
                tensor(new long[] { 0, 1, 0, 1, 0, 1, 0, 1 }));
        loss.backward();
        var dormant = net.Hidden.weight_mask.eq(0);
        Assert.Equal(0f, net.Hidden.weight_orig.grad!.masked_select(dormant).abs().sum().item<float>());
        Assert.True(net.Hidden.LastCapture!.EffectiveWeight.grad!.masked_select(dormant).abs().sum().item<float>() > 0);
        net.Hidden.CaptureGradients = false;
        net.Hidden.ClearCapture();
    }

    [Fact]
    public void NetworkWidePruningSparesALayerOfLargeWeightsAndCapsEachLayer()
    {
        using var net = new TinyNet();
        Set(net.Hidden.weight_mask, Enumerable.Repeat(1f, 12).ToArray());
        Set(net.Hidden.weight_orig, Enumerable.Range(1, 12).Select(i => i * 0.01f).ToArray());   // 0.01 .. 0.12
        Set(net.Out.weight_orig, Enumerable.Range(1, 6).Select(i => (float)i).ToArray());        // 1 .. 6

        var outcome = new MagnitudePruning(0.25).Prune(net, _kernels);   // 18 live -> about 4 or 5

        Assert.Equal(6, net.Out.LiveConnections);                         // all far above the threshold
        Assert.Equal(3, outcome.ConnectionsRemoved);                      // capped at 25% of Hidden's 12
        Assert.Equal(new float[] { 0, 0, 0 }, net.Hidden.weight_mask.flatten()[..3].data<float>().ToArray());
    }
}

/// <summary>A tiny convolutional seed for the 8 x 8 quadrant images.</summary>
[SeedNetwork(Input = new[] { 1, 8, 8 }, Classes = 4)]
public sealed partial class TinyConvNet
{
    [Conv2d(2, Kernel = 3, MaxWidth = 8)] public partial MaskedConv2d Conv { get; }
    [MaxPool2d(2)] public partial MaxPool Pool { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dense(4, Density = 0.5)] public partial MaskedLinear Out { get; }

    /// <summary>Every connection live except the dense weights reading flatten column 0 (map 0, pooled
    /// position (0, 0)): the convolution's area under that position is read by nothing.</summary>
    public static TinyConvNet WithColumnZeroUnread(int randomSeed)
    {
        var net = new TinyConvNet(randomSeed);
        using var _ = TorchSharp.torch.no_grad();
        net.Conv.weight_mask.fill_(1);
        net.Out.weight_mask.fill_(1);
        net.Out.weight_mask[.., 0].fill_(0);
        net.Out.weight_orig.mul_(net.Out.weight_mask);
        return net;
    }
}

public class FeatureMapGrowthTests
{
    [Fact]
    public void KeepsACandidateSetOnlyIfItLowersTheLossAndWiresItThroughTheFlatten()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 16);
        using var data = Nest.Runtime.Data.IdxDataset.Load(files.Folder, validationCount: 16);
        using var net = new TinyConvNet(randomSeed: 4);
        using var kernels = new CpuMaskKernels();
        using var generator = new Generator(5);
        var context = new GrowthContext(net, data.Train, kernels, new GrowthOptions(), 128, generator);
        double Loss()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            return nn.functional.cross_entropy(net.forward(data.Train.Images), data.Train.Labels).item<float>();
        }
        var before = Loss();
        var outBefore = net.Out.weight_orig.clone();

        var added = new FeatureMapGrowth { Candidates = 6, LossBatches = 2 }.GrowOnce(context, 0, 2);

        if (added > 0)
        {
            Assert.Equal(4, net.Conv.out_channels);
            Assert.Equal(4 * 9, net.Out.in_features);   // 3 x 3 per map behind the flatten
            Assert.True(TensorAssert.Same(outBefore, net.Out.weight_orig.narrow(1, 0, 18)));
        }
        else
        {
            Assert.Equal(2, net.Conv.out_channels);
            Assert.True(TensorAssert.Same(outBefore, net.Out.weight_orig));
            Assert.Equal(before, Loss(), 5);
        }
    }
}

public class CostAwarePruningTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    static TinyConvNet Net()
    {
        // Convolution weights 2..3.7 (each computes at 36 positions), dense weights 1..1.5 (one each).
        var net = new TinyConvNet(randomSeed: 1);
        using var _ = no_grad();
        net.Conv.weight_mask.fill_(1);
        net.Conv.weight_orig.copy_(linspace(2, 3.7, 18).reshape(net.Conv.weight_orig.shape));
        net.Out.weight_orig.copy_(
            linspace(1, 1.5, net.Out.weight_orig.numel()).reshape(net.Out.weight_orig.shape).mul(net.Out.weight_mask));
        return net;
    }

    [Fact]
    public void ByMagnitudeAloneTheConvolutionOfLargerWeightsIsSpared()
    {
        using var net = Net();
        new MagnitudePruning(0.2).Prune(net, _kernels);
        Assert.Equal(18, net.Conv.LiveConnections);
    }

    [Fact]
    public void ConnectionCostIsEachPairsLiveAreaPositions()
    {
        using var net = Net();
        var description = TinyConvNet.Topology.Layers.First(l => l.Kind == LayerKind.Conv2d);
        Assert.All(ConnectionCosts.Of(net.Conv, description), c => Assert.Equal(36f, c));
        net.Conv.EnableAreaMask(6, 6, perPair: true);
        using (no_grad()) net.Conv.area_mask![0, 0, 0].fill_(0);            // map 0 loses one row of 6
        var costs = ConnectionCosts.Of(net.Conv, description);
        Assert.All(costs[..9], c => Assert.Equal(30f, c));
        Assert.All(costs[9..], c => Assert.Equal(36f, c));
    }
}
