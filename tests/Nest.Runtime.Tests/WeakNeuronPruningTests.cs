using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class WeakNeuronPruningTests
{
    [Fact]
    public void ASilentUnitIsCutOffInAndOutAndTheOthersKeepEveryConnection()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 200, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        using var kernels = new CpuMaskKernels();
        using var net = new QuadrantNet(randomSeed: 7);
        // Unit 3 of Hidden can never switch on (ReLU of a very negative pre-activation); the rest are random.
        using (no_grad()) net.Hidden.bias![3] = -1000f;
        var hiddenBefore = net.Hidden.weight_mask.clone();
        var outBefore = net.Out.weight_mask.clone();
        var expected = net.Hidden.weight_mask[3].sum().item<float>() + net.Out.weight_mask[.., 3].sum().item<float>();

        using var generator = new Generator(1);
        var outcome = new WeakNeuronPruning(0.01, data.Train, generator).Prune(net, kernels);

        Assert.Equal(1, outcome.NeuronsRemoved);
        Assert.Equal((long)expected, outcome.ConnectionsRemoved);
        Assert.Equal(0f, net.Hidden.weight_mask[3].sum().item<float>());
        Assert.Equal(0f, net.Out.weight_mask[.., 3].sum().item<float>());
        Assert.Equal(0f, net.Hidden.weight_orig[3].abs().sum().item<float>());
        // Every other unit's connections are as they were.
        hiddenBefore[3] = zeros(hiddenBefore.shape[1]);
        outBefore[.., 3] = zeros(outBefore.shape[0]);
        Assert.True(TensorAssert.Same(hiddenBefore, net.Hidden.weight_mask));
        Assert.True(TensorAssert.Same(outBefore, net.Out.weight_mask));
    }

    [Fact]
    public void OnlyLiveUnitsAtOrBelowTheThresholdOfTheirLayersMeanAreWeak()
    {
        // Mean of the live units (0, 1, 3) = (1 + 0.005 + 0.02) / 3 ~ 0.342; 2% of it ~ 0.0068.
        float[] magnitudes = { 1f, 0.005f, 9f, 0.02f };
        bool[] live = { true, true, false, true };
        Assert.Equal(new long[] { 1 }, WeakNeuronPruning.WeakUnits(magnitudes, 0.02, live));
        Assert.Empty(WeakNeuronPruning.WeakUnits(magnitudes, 0.0, live));
        Assert.Equal(new long[] { 1, 3 }, WeakNeuronPruning.WeakUnits(magnitudes, 0.1, live));
    }

    [Fact]
    public void AUnitCutOffInARejectedStepComesBackWithTheSnapshot()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 200, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        using var kernels = new CpuMaskKernels();
        using var net = new QuadrantNet(randomSeed: 7);
        using (no_grad()) net.Hidden.bias![5] = -1000f;
        var before = net.Hidden.weight_orig.clone();
        using var snapshot = new NetworkSnapshot(net);

        using var generator = new Generator(1);
        Assert.Equal(1, new WeakNeuronPruning(0.01, data.Train, generator).Prune(net, kernels).NeuronsRemoved);
        snapshot.Restore();

        Assert.True(TensorAssert.Same(before, net.Hidden.weight_orig));
    }
}
