using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Partial-area convolution: the area-masked forward pass, its FLOPs, its pruning policy, and
/// area masks through resizing and snapshots.</summary>
public class PartialAreaTests
{
    static MaskedConv2d RandomConv(long inputs, long maps, long padding, int seed)
    {
        var conv = new MaskedConv2d(inputs, maps, kernel: 3, padding: padding);
        conv.InitializeSeed(0.7, seed);
        using var _ = no_grad();
        conv.bias!.copy_(randn(maps, generator: new Generator((ulong)seed)));
        return conv;
    }

    [Theory]
    [InlineData(3, 1)]   // several input maps: the unfolded, locally connected path
    [InlineData(1, 0)]   // one input map: the output-mask path
    public void AnAllLiveAreaMaskLeavesTheConvolutionUnchanged(int inputs, int padding)
    {
        using var conv = RandomConv(inputs, 4, padding, seed: 3);
        using var input = randn(new long[] { 2, inputs, 7, 7 }, generator: new Generator(4));
        using var plain = conv.forward(input);

        conv.EnableAreaMask(plain.shape[2], plain.shape[3]);
        using var masked = conv.forward(input);

        Assert.True(plain.allclose(masked, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void AMaskedAreaRemovesExactlyThatPairsContributionThere()
    {
        using var conv = RandomConv(3, 4, padding: 1, seed: 5);
        using var input = randn(new long[] { 2, 3, 6, 6 }, generator: new Generator(6));
        conv.EnableAreaMask(6, 6);
        using var before = conv.forward(input);
        using (no_grad()) conv.area_mask![1, 2, 3, 4] = 0;   // map 1, input map 2, position (3, 4)

        using var after = conv.forward(input);

        // That pair's own convolution at (3, 4): input map 2 with kernel (1, 2) alone.
        using var pair =
            nn.functional.conv2d(input.narrow(1, 2, 1), conv.weight.narrow(0, 1, 1).narrow(1, 2, 1),
                padding: new long[] { 1, 1 });
        using var expected = before.clone();
        using (no_grad())
            expected.narrow(1, 1, 1).narrow(2, 3, 1).narrow(3, 4, 1).sub_(pair.narrow(2, 3, 1).narrow(3, 4, 1));
        Assert.True(after.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void APerMapAreaMaskSkipsEveryInputMapOfThatMapThere()
    {
        using var conv = RandomConv(3, 4, padding: 1, seed: 8);
        using var input = randn(new long[] { 2, 3, 6, 6 }, generator: new Generator(9));
        conv.EnableAreaMask(6, 6, perPair: false);
        using var before = conv.forward(input);
        using (no_grad()) conv.area_mask![1, 0, 3, 4] = 0;

        using var after = conv.forward(input);

        Assert.False(conv.AreaMaskPerPair);
        Assert.Equal(new long[] { 4, 1, 6, 6 }, conv.area_mask!.shape);
        // Only the bias is left at map 1, position (3, 4).
        Assert.True(after[.., 1, 3, 4].allclose(conv.bias![1].expand(2), rtol: 1e-5, atol: 1e-5));
        using var changed = after.ne(before).sum();
        Assert.Equal(2, changed.item<long>());   // that position of each of the 2 images, nothing else
        var live = conv.weight_mask.sum(new long[] { 1, 2, 3 }).data<float>().ToArray();
        Assert.Equal((long)(live.Sum() * 36 - live[1]), conv.MultiplyAccumulates(36));
    }

    [Fact]
    public void FlopsCountLiveWeightsTimesLiveAreaPositions()
    {
        using var net = new TinyConvNet(randomSeed: 1);   // Conv: 2 maps from 1 input, 3 x 3 kernels, 6 x 6 outputs
        using (no_grad())
        {
            net.Conv.weight_mask.zero_();
            net.Conv.weight_mask[0].view(-1).narrow(0, 0, 5).fill_(1);   // map 0: 5 live weights
            net.Conv.weight_mask[1].view(-1).narrow(0, 0, 4).fill_(1);   // map 1: 4 live weights
        }
        net.Conv.EnableAreaMask(6, 6);
        using (no_grad()) net.Conv.area_mask![1].view(-1).narrow(0, 0, 20).zero_();   // map 1: 16 of 36 positions live

        var conv = NetworkCost.Measure(net).Layers.Single(l => l.Name == "Conv");

        Assert.Equal(2 * (5 * 36 + 4 * 16), conv.Flops);
        Assert.Equal(9 + 2, conv.Parameters);   // weights and biases: areas are not parameters
    }

    [Fact]
    public void PruningMasksTheLeastContributingPositionsAndAnEmptyPairLosesItsWeights()
    {
        using var conv = new MaskedConv2d(1, 2, kernel: 3);
        conv.InitializeSeed(1.0, 7);
        conv.EnableAreaMask(2, 2);
        var contribution = new float[] { 0.5f, 0.1f, 0.9f, 0.2f, /* map 1 */ 0.05f, 0.01f, 0.02f, 0.03f };

        var (areas, weights) =
            PartialAreaPruning.PruneLayer(conv, contribution, fraction: 0.5, new CpuMaskKernels());   // 4 of 8

        Assert.Equal(4, areas);
        Assert.Equal(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }, conv.area_mask!.flatten().data<float>().ToArray());
        Assert.Equal(9, weights);   // map 1's kernel has no area left
        Assert.Equal(0, conv.weight_mask[1].sum().item<float>());
        Assert.Equal(9, conv.weight_mask[0].sum().item<float>());
    }

    [Fact]
    public void PruningOnDataMasksTheGivenFractionOfEveryConvolutionsArea()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 16);
        using var data = Data.IdxDataset.Load(files.Folder, validationCount: 16);
        using var net = new TinyConvNet(randomSeed: 2);
        var before = NetworkCost.Measure(net).Flops;

        var outcome =
            new PartialAreaPruning(0.25, data.Train, new Generator(3), batches: 2, batchSize: 64).Prune(net,
                new CpuMaskKernels());

        Assert.Equal(18, outcome.AreaPositionsRemoved);   // a quarter of 2 maps x 36 positions
        Assert.Equal(54, net.Conv.area_mask!.sum().item<float>());
        Assert.True(NetworkCost.Measure(net).Flops < before);
    }

    [Fact]
    public void RemovingAFeatureMapRemovesItsAreaAndGrowingOneAddsAFullArea()
    {
        using var net = new TinyConvNet(randomSeed: 1);
        net.Conv.EnableAreaMask(6, 6);
        using (no_grad()) net.Conv.area_mask![1, 0, 2, 2] = 0;

        ((ISeedNetwork)net).RemoveUnits(0, new long[] { 0 });
        Assert.Equal(new long[] { 1, 1, 6, 6 }, net.Conv.area_mask!.shape);
        Assert.Equal(35, net.Conv.area_mask!.sum().item<float>());   // map 1's mask, now map 0

        ((ISeedNetwork)net).AddUnits(0, 2);
        Assert.Equal(new long[] { 3, 1, 6, 6 }, net.Conv.area_mask!.shape);
        Assert.Equal(35 + 72, net.Conv.area_mask!.sum().item<float>());
    }

    [Fact]
    public void AnErrorNamesTheConvolutionAsTheSeedDeclaresIt()
    {
        using var net = new TinyConvNet(randomSeed: 1);
        using var kernels = new CpuMaskKernels();

        var error =
            Assert.Throws<InvalidOperationException>(() =>
                PartialAreaPruning.PruneLayer(net.Conv, new float[1], 0.5, kernels));

        Assert.Contains("Layer 'Conv' has no area mask", error.Message);
    }

    [Fact]
    public void ASnapshotRestoresTheAreaMaskOrItsAbsence()
    {
        using var net = new TinyConvNet(randomSeed: 1);
        using (var plain = new NetworkSnapshot(net))
        {
            net.Conv.EnableAreaMask(6, 6);
            plain.Restore();
            Assert.Null(net.Conv.area_mask);
        }
        net.Conv.EnableAreaMask(6, 6);
        using var snapshot = new NetworkSnapshot(net);
        using (no_grad()) net.Conv.area_mask!.zero_();

        snapshot.Restore();

        Assert.Equal(72, net.Conv.area_mask!.sum().item<float>());
    }
}
