using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class ConstantInputFoldingTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    [Fact]
    public void AFullyMaskedPoolingWindowFoldsItsDenseWeightsIntoTheBiasWithoutChangingTheOutputs()
    {
        using var net = new TinyConvNet(randomSeed: 2);
        net.Conv.EnableAreaMask(6, 6, perPair: false);
        using (no_grad())
        {
            net.Out.weight_mask.fill_(1);
            net.Conv.bias!.copy_(tensor(new[] { 0.7f, -0.2f }));
            net.Conv.area_mask![0, 0, 0..2, 0..2].fill_(0);   // map 0: pooled position (0, 0) reads bias only
            net.Conv.area_mask![1, 0, 0, 0].fill_(0);         // map 1: one position of a window, still varying
        }
        using var input = rand(5, 1, 8, 8, generator: new Generator(1));
        var before = TensorAssert.Outputs(net, input);
        var liveBefore = net.Out.LiveConnections;

        var outcome = new ConstantInputFolding().Prune(net, _kernels);

        Assert.Equal(4, outcome.ConnectionsRemoved);                            // column (map 0, 0, 0), one per output
        Assert.Equal(liveBefore - 4, net.Out.LiveConnections);
        Assert.Equal(0f, net.Out.weight_mask[.., 0].sum().item<float>());
        Assert.Equal(4f, net.Out.weight_mask[.., 9].sum().item<float>());       // map 1's (0, 0) stays
        Assert.True(before.allclose(TensorAssert.Outputs(net, input), rtol: 1e-5, atol: 1e-5),
            "the function is unchanged");
    }

    [Fact]
    public void ANeuronWithoutInputsFoldsItsActivatedBiasIntoTheConsumer()
    {
        using var net = new TinyNet();
        using (no_grad())
        {
            net.Hidden.weight_mask.fill_(1);
            net.Hidden.weight_mask[1].fill_(0);                 // neuron 1 has no inputs: it outputs relu(0.5)
            net.Hidden.weight_orig.mul_(net.Hidden.weight_mask);
            net.Hidden.bias![1] = 0.5f;
            net.Out.weight_mask.fill_(1);
        }
        using var input = randn(6, 4, generator: new Generator(3));
        var before = TensorAssert.Outputs(net, input);

        var outcome = new ConstantInputFolding().Prune(net, _kernels);

        Assert.Equal(2, outcome.ConnectionsRemoved);
        Assert.Equal(0f, net.Out.weight_mask[.., 1].sum().item<float>());
        Assert.True(before.allclose(TensorAssert.Outputs(net, input), rtol: 1e-5, atol: 1e-5));
        Assert.Equal(new long[] { 1 }, DeadNeuronPruning.DeadUnits(net.Hidden, net.Out));   // now removable
    }

    [Fact]
    public void NothingIsFoldedWhileEveryInputVaries()
    {
        using var net = new TinyConvNet(randomSeed: 2);
        net.Conv.EnableAreaMask(6, 6, perPair: false);
        using (no_grad()) net.Conv.weight_mask.fill_(1);
        var live = net.Out.LiveConnections;
        Assert.Equal(0, new ConstantInputFolding().Prune(net, _kernels).ConnectionsRemoved);
        Assert.Equal(live, net.Out.LiveConnections);
    }
}
