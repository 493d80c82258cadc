using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class CostBalanceTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    [Fact]
    public void TheExponentIsTheSmallestAtWhichFlopsFallAsFastAsConnections()
    {
        // Four convolution weights of |w| 1 costing 100 each, ten dense ones of |w| 0.2; half of the 14 go, at most
        // half of any layer. Up to g 0.25 a convolution weight scores under 1 / 100^0.25 = 0.32 > 0.2 and stays: 5 dense
        // connections go (5 / 410 of the multiply-accumulates against 5 / 14 of the connections). At g 0.5 it scores
        // 0.1 < 0.2: two go (the cap) with five dense ones, 205 / 410 of the multiply-accumulates, 7 / 14 connections.
        var scores = new[] { Enumerable.Repeat(-1f, 4).ToArray(), Enumerable.Repeat(-0.2f, 10).ToArray() };
        var costs = new[] { Enumerable.Repeat(100f, 4).ToArray(), null };
        Assert.Equal(0.5, CostBalance.Exponent(scores, costs, 0.5, _kernels));
    }

    [Fact]
    public void DenseLayersAloneNeedNoExponent()
    {
        var scores = new[] { new[] { -1f, -0.5f, float.NegativeInfinity }, new[] { -0.1f, -3f, -2f, -0.7f } };
        Assert.Equal(0, CostBalance.Exponent(scores, new float[]?[] { null, null }, 0.3, _kernels));
    }

    [Fact]
    public void ABalancedStepTakesAtLeastItsShareOfMultiplyAccumulatesFromTheConvolution()
    {
        // As CostAwarePruningTests: convolution weights 2..3.7 at 36 positions each, dense weights 1..1.5.
        using var net = new TinyConvNet(randomSeed: 1);
        using (no_grad())
        {
            net.Conv.weight_mask.fill_(1);
            net.Conv.weight_orig.copy_(linspace(2, 3.7, 18).reshape(net.Conv.weight_orig.shape));
            net.Out.weight_orig.copy_(linspace(1, 1.5, net.Out.weight_orig.numel()).reshape(net.Out.weight_orig.shape)
                .mul(net.Out.weight_mask));
        }
        long conv = net.Conv.LiveConnections, dense = net.Out.LiveConnections;
        var pruning = new MagnitudePruning(0.2, balanceCost: true);
        pruning.Prune(net, _kernels);

        long convAfter = net.Conv.LiveConnections, denseAfter = net.Out.LiveConnections;
        double connectionShare = 1 - (double)(convAfter + denseAfter) / (conv + dense);
        double macShare = 1 - (36.0 * convAfter + denseAfter) / (36.0 * conv + dense);
        Assert.True(convAfter < conv, "the convolution lost weights (magnitude alone spares it)");
        Assert.True(macShare >= connectionShare, $"multiply-accumulates {macShare:P1}, connections {connectionShare:P1}");
        Assert.True(pruning.LastExponent > 0);
    }
}
