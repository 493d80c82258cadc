using Nest.Dsl;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Two convolutions through pooling: 12x12 -> conv 3x3 (10x10) -> pool (5x5) -> conv 2x2 (4x4) -> pool (2x2)
/// -> dense.</summary>
[SeedNetwork(Input = new[] { 1, 12, 12 }, Classes = 4)]
public sealed partial class TwoConvNet
{
    [Conv2d(2, Kernel = 3)] public partial MaskedConv2d Conv1 { get; }
    [MaxPool2d(2)] public partial MaxPool Pool1 { get; }
    [Conv2d(3, Kernel = 2)] public partial MaskedConv2d Conv2 { get; }
    [MaxPool2d(2)] public partial MaxPool Pool2 { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dense(4)] public partial MaskedLinear Out { get; }
}

public class UnreadOutputPruningTests
{
    readonly IMaskKernels _kernels = new CpuMaskKernels();

    [Fact]
    public void APooledPositionNoDenseWeightReadsLosesTheConvolutionAreaUnderItWithoutChangingTheOutputs()
    {
        using var net = TinyConvNet.WithColumnZeroUnread(randomSeed: 2);   // map 0, pooled position (0, 0) unread
        using var input = rand(5, 1, 8, 8, generator: new Generator(1));
        var before = TensorAssert.Outputs(net, input);
        var flopsBefore = NetworkCost.Measure(net).Flops;

        var outcome = new UnreadOutputPruning().Prune(net, _kernels);

        Assert.Equal(4, outcome.AreaPositionsRemoved);                                // the 2x2 window under it
        Assert.Equal(0, outcome.ConnectionsRemoved);
        Assert.Equal(0f, net.Conv.area_mask![0, .., 0..2, 0..2].sum().item<float>());
        Assert.Equal(36f, net.Conv.area_mask![1].sum().item<float>());               // map 1 is read everywhere
        Assert.Equal(flopsBefore - 2 * 4 * 9, NetworkCost.Measure(net).Flops);        // 4 positions x 9 weights
        Assert.True(before.allclose(TensorAssert.Outputs(net, input), rtol: 1e-5, atol: 1e-5),
            "the function is unchanged");
    }

    [Fact]
    public void AConvolutionReadsOnlyTheInputPositionsUnderItsLiveWeightsAndLiveArea()
    {
        using var net = new TwoConvNet(randomSeed: 3);
        net.Conv2.EnableAreaMask(4, 4, perPair: false);
        using (no_grad())
        {
            net.Conv1.weight_mask.fill_(1);
            net.Out.weight_mask.fill_(1);
            net.Conv2.weight_mask.fill_(0);
            net.Conv2.weight_mask[0, 1, 0, 0] = 1;      // map 0 reads input map 1 through its top-left tap
            net.Conv2.area_mask!.fill_(0);
            net.Conv2.area_mask![0, 0, 1, 2] = 1;       // at output (1, 2) only: input position (1, 2)
            net.Conv2.weight_orig.mul_(net.Conv2.weight_mask);
        }
        using var input = rand(4, 1, 12, 12, generator: new Generator(2));
        var before = TensorAssert.Outputs(net, input);

        var outcome = new UnreadOutputPruning().Prune(net, _kernels);

        // Conv1 keeps map 1's 2x2 window under pooled (1, 2), rows 2-3 and columns 4-5; map 0 is unread: its 9 weights
        // go.
        Assert.Equal(4f, net.Conv1.area_mask!.sum().item<float>());
        Assert.Equal(4f, net.Conv1.area_mask![1, .., 2..4, 4..6].sum().item<float>());
        Assert.Equal(0f, net.Conv1.weight_mask[0].sum().item<float>());
        Assert.Equal(9f, net.Conv1.weight_mask[1].sum().item<float>());
        Assert.Equal(9, outcome.ConnectionsRemoved);
        Assert.True(before.allclose(TensorAssert.Outputs(net, input), rtol: 1e-5, atol: 1e-5),
            "the function is unchanged");
    }

    [Fact]
    public void ADenseUnitNoConsumerWeightReadsLosesItsIncomingWeights()
    {
        using var net = new TinyNet();
        using (no_grad())
        {
            net.Hidden.weight_mask.fill_(1);
            net.Out.weight_mask.fill_(1);
            net.Out.weight_mask[.., 2].fill_(0);       // hidden unit 2 feeds nothing
            net.Out.weight_orig.mul_(net.Out.weight_mask);
        }
        using var input = randn(6, 4, generator: new Generator(3));
        var before = TensorAssert.Outputs(net, input);

        var outcome = new UnreadOutputPruning().Prune(net, _kernels);

        Assert.Equal(4, outcome.ConnectionsRemoved);
        Assert.Equal(0f, net.Hidden.weight_mask[2].sum().item<float>());
        Assert.Equal(8f, net.Hidden.weight_mask.sum().item<float>());
        Assert.True(before.allclose(TensorAssert.Outputs(net, input), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void NothingIsMaskedWhileEveryOutputIsRead()
    {
        using var net = new TinyConvNet(randomSeed: 2);
        using (no_grad())
        {
            net.Conv.weight_mask.fill_(1);
            net.Out.weight_mask.fill_(1);
        }
        var outcome = new UnreadOutputPruning().Prune(net, _kernels);
        Assert.Equal(new PruningOutcome(0, 0, 0), outcome);
        Assert.Null(net.Conv.area_mask);
    }
}
