using Nest.Runtime.Data;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class IterateAverageTests
{
    static void Fill(QuadrantNet net, float value)
    {
        using var _ = no_grad();
        foreach (var p in net.parameters()) p.fill_(value);
    }

    [Fact]
    public void TheModelEndsWithTheMeanOfTheIteratesAdded()
    {
        using var net = new QuadrantNet(randomSeed: 1);
        using var average = new IterateAverage(net);
        foreach (var value in new[] { 1f, 2f, 6f })
        {
            Fill(net, value);
            average.Add();
        }
        Fill(net, 100f);

        average.CopyToModel();

        Assert.Equal(3, average.Count);
        foreach (var p in net.parameters())
            Assert.Equal(3f * p.numel(), p.sum().item<float>(), 2);
    }

    [Fact]
    public void AnAverageWithNoIterateLeavesTheModelAlone()
    {
        using var net = new QuadrantNet(randomSeed: 1);
        using var before = net.Hidden.weight_orig.detach().clone();
        using var average = new IterateAverage(net);

        average.CopyToModel();

        Assert.True(TensorAssert.Same(before, net.Hidden.weight_orig));
    }

    [Fact]
    public void AveragedTrainingKeepsMaskedWeightsZeroAndStillLearns()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 600, test: 200);
        using var data = IdxDataset.Load(files.Folder, validationCount: 100);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.05, AverageEpochs = 2 };
        using var averaged = new QuadrantNet(randomSeed: 4);
        using var last = new QuadrantNet(randomSeed: 4);

        new Trainer(options).Train(averaged, data.Train);
        new Trainer(options with { AverageEpochs = 0 }).Train(last, data.Train);

        var dormant = averaged.Hidden.weight_mask.eq(0);
        Assert.True(dormant.any().item<bool>(), "the seed is half dense");
        Assert.Equal(0f, averaged.Hidden.weight_orig.masked_select(dormant).abs().sum().item<float>());
        Assert.False(TensorAssert.Same(averaged.Hidden.weight_orig, last.Hidden.weight_orig), "the mean is not the last iterate");
        Assert.True(Evaluation.ErrorRate(averaged, data.Test) < 0.1, "chance is 0.75");
    }

    [Fact]
    public void ANegativeAverageIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { AverageEpochs = -1 }.Validate());
        Assert.Equal(nameof(TrainingOptions.AverageEpochs), error.ParamName);
    }
}
