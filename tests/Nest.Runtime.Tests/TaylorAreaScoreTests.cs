using Nest.Runtime.Data;
using Nest.Runtime.Pruning;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Taylor area scores (<see cref="AreaScore.Taylor"/>): mean |contribution x output gradient| per
/// position.</summary>
public class TaylorAreaScoreTests
{
    static List<LayerDescription> Convolutions(ISeedNetwork network) =>
        network.Topology.Layers.Where(l => l.Kind == LayerKind.Conv2d).ToList();

    [Fact]
    public void APositionNoConsumerReadsScoresZeroAndTheOthersDoNot()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 16);
        using var net = TinyConvNet.WithColumnZeroUnread(randomSeed: 2);   // map 0, pooled position (0, 0) unread

        var scores =
            PartialAreaPruning.TaylorScores(net, Convolutions(net), data.Train, 2, 64, new Generator(3), _ => true)[0];

        Assert.Equal(2 * 6 * 6, scores.Length);   // 2 maps (one input map each) x 6 x 6 positions
        // Map 0's positions under pooled position (0, 0): (0, 0), (0, 1), (1, 0), (1, 1).
        Assert.All(new[] { 0, 1, 6, 7 }, i => Assert.Equal(0f, scores[i]));
        Assert.True(scores.Skip(36).Sum() > 0, "map 1 is read everywhere");
    }

    [Fact]
    public void PerPairOverSeveralInputMapsEachPairScoresItsOwnContribution()
    {
        using var net = new TwoConvNet(randomSeed: 4);
        using var data =
            new ImageDataset("random-12x12", rand(new long[] { 8, 1, 12, 12 }, generator: new Generator(5)),
            tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 }), 4);
        using (no_grad()) net.Conv2.weight_mask.fill_(1);
        var conv2 = Convolutions(net)[1];

        var scores =
            PartialAreaPruning.TaylorScores(net, new[] { conv2 }, data, 1, 8, new Generator(6), _ => true)[conv2.Index];

        // By hand: pair (map 2, input map 1) alone, times the gradient of map 2's output, over the same batch.
        net.Conv2.CaptureGradients = true;
        using var order = randperm(8, generator: new Generator(6));
        using var output = net.forward(data.Images.index_select(0, order));
        nn.functional.cross_entropy(output, data.Labels.index_select(0, order)).backward();
        var capture = net.Conv2.LastCapture!;
        using var pair =
            nn.functional.conv2d(capture.Input.detach().narrow(1, 1, 1),
                capture.EffectiveWeight.detach().narrow(0, 2, 1).narrow(1, 1, 1));
        using var expected = (pair * capture.Output.grad!.narrow(1, 2, 1)).abs().mean(new long[] { 0 }).flatten();
        net.Conv2.CaptureGradients = false;
        Assert.Equal(3 * 2 * 4 * 4, scores.Length);   // [maps, input maps, 4 x 4]
        var start = (2 * 2 + 1) * 16;
        var want = expected.data<float>().ToArray();
        Assert.True(want.Sum() > 0, "the pair contributes");
        for (int i = 0; i < 16; i++) Assert.Equal(want[i], scores[start + i], 1e-5);
    }

    [Fact]
    public void TheScheduleChoosesTheSynthesizersAreaScore()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 16, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 8);
        using var kernels = new Nest.Runtime.Kernels.CpuMaskKernels();
        var schedule = new Synthesis.SynthesisSchedule { Area = new AreaOptions { Score = AreaScore.Contribution } };

        var policy = (PartialAreaPruning)new Synthesis.Synthesizer(schedule, kernels).AreaPruning!(0.1, data.Train,
            new Generator(1));
        var byDefault = (PartialAreaPruning)new Synthesis.Synthesizer(new Synthesis.SynthesisSchedule(), kernels)
            .AreaPruning!(0.1, data.Train, new Generator(1));

        Assert.Equal(AreaScore.Contribution, policy.Score);
        Assert.Equal(AreaScore.Taylor, byDefault.Score);
    }
}
