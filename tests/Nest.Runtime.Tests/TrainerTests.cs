using Nest.Dsl;
using Nest.Runtime.Data;
using Nest.Runtime.Schedules;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>A small seed for the 8 x 8 quadrant images of <see cref="IdxFiles.WriteQuadrants"/>.</summary>
[SeedNetwork(Input = new[] { 1, 8, 8 }, Classes = 4)]
public sealed partial class QuadrantNet
{
    [Flatten] public partial Flatten Flat { get; }
    [Dense(32, Density = 0.5)] public partial MaskedLinear Hidden { get; }
    [Dense(4)] public partial MaskedLinear Out { get; }
}

public class TrainerTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 3, BatchSize = 32, LearningRate = 0.05 };

    [Fact]
    public void LearnsAnEasyProblemFarBetterThanChance()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 600, test: 200);
        using var data = IdxDataset.Load(files.Folder, validationCount: 100);
        using var net = new QuadrantNet(randomSeed: 1);
        var result = new Trainer(Quick).Train(net, data.Train, data.Validation);
        Assert.Equal(3, result.Epochs.Count);
        Assert.True(Evaluation.ErrorRate(net, data.Test) < 0.1, "chance is 0.75");
        Assert.True(result.ValidationError < 0.1);
    }

    [Fact]
    public void SameSeedGivesTheSameNumbers()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 300, test: 50);
        using var data = IdxDataset.Load(files.Folder, validationCount: 50);
        var options = Quick with { Epochs = 2, Augment = true, Seed = 5 };
        using var a = new QuadrantNet(randomSeed: 2);
        using var b = new QuadrantNet(randomSeed: 2);
        var ra = new Trainer(options).Train(a, data.Train, data.Validation);
        var rb = new Trainer(options).Train(b, data.Train, data.Validation);
        Assert.Equal(ra.Epochs.Select(e => e.TrainLoss), rb.Epochs.Select(e => e.TrainLoss));
        Assert.True(TensorAssert.Same(a.Hidden.weight_orig, b.Hidden.weight_orig));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void PrunedConnectionsStayExactlyZeroThroughTheOptimizer(OptimizerKind optimizer)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 300, test: 50);
        using var data = IdxDataset.Load(files.Folder, validationCount: 50);
        using var net = new QuadrantNet(randomSeed: 3);
        var options =
            Quick with { Epochs = 1, Optimizer = optimizer, WeightDecay = 1e-3, LearningRate =
                optimizer == OptimizerKind.Adam ? 1e-3 : 0.05 };
        new Trainer(options).Train(net, data.Train);

        // Prune half of the live weights of Hidden: they have non-zero values and, within one
        // trainer, would have optimizer state; the trainer must keep them at zero from now on.
        using (no_grad())
        {
            var live = net.Hidden.weight_mask.eq(1);
            var pruned = live.logical_and(rand(net.Hidden.weight_mask.shape, generator: new Generator(9)).lt(0.5));
            net.Hidden.weight_mask.masked_fill_(pruned, 0);
        }
        new Trainer(options with { Epochs = 2 }).Train(net, data.Train);

        var dormant = net.Hidden.weight_mask.eq(0);
        Assert.Equal(0f, net.Hidden.weight_orig.masked_select(dormant).abs().sum().item<float>());
        Assert.Equal(0f, net.Hidden.weight.masked_select(dormant).abs().sum().item<float>());
    }

    [Fact]
    public void CancellationStopsBetweenSteps()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 200, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        using var net = new QuadrantNet();
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress<TrainingProgress>(_ => cancel.Cancel());
        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(Quick with { ReportsPerEpoch = 10 }).Train(net, data.Train, null, progress, cancel.Token));
    }

    [Fact]
    public void ReportsProgressWithAnEstimateAndEveryEpoch()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 200, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        using var net = new QuadrantNet();
        var reports = new List<TrainingProgress>();
        new Trainer(Quick).Train(net, data.Train, data.Validation, new InlineProgress<TrainingProgress>(reports.Add));
        Assert.Equal(3, reports.Count(r => r.Completed is not null));
        Assert.True(reports.Count > 3);
        Assert.All(reports.Skip(1), r => Assert.NotNull(r.Remaining));
    }

    [Fact]
    public void RejectsABatchSizeOfZeroByName()
    {
        var error =
            Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(new TrainingOptions { BatchSize = 0 }));
        Assert.Equal("BatchSize", error.ParamName);
    }

    [Fact]
    public void CosineScheduleFallsFromTheBaseRateTowardZero()
    {
        var schedule = new CosineSchedule();
        Assert.Equal(0.1, schedule.Rate(0, 10, 0.1), 12);
        Assert.Equal(0.05, schedule.Rate(5, 10, 0.1), 12);
        Assert.True(schedule.Rate(9, 10, 0.1) < 0.003);
        Assert.Equal(0.01, new StepSchedule(10, 0.1).Rate(15, 20, 0.1), 12);
    }

    [Fact]
    public void TheRateIsSetOncePerEpoch()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var net = new QuadrantNet(randomSeed: 2);
        var schedule = new RecordingSchedule();
        new Trainer(Quick with { Epochs = 2, Schedule = schedule }).Train(net, data.Train);
        Assert.Empty(schedule.Points);
        Assert.Equal(2, schedule.Epochs);
    }

    [Fact]
    public void AScheduleReadAtAFractionOfAnEpochUsesTheRateOfTheEpochItIsIn()
    {
        ILearningRateSchedule step = new StepSchedule(1, 0.5);
        Assert.Equal(0.1, step.RateAt(0.99, 4, 0.1), 12);
        Assert.Equal(0.05, step.RateAt(1.0, 4, 0.1), 12);
        Assert.Equal(0.5 * 0.1 * (1 + Math.Cos(Math.PI * 1.5 / 4)), new CosineSchedule().RateAt(1.5, 4, 0.1), 12);
    }

    /// <summary>A constant rate that records where the trainer asked for it.</summary>
    sealed class RecordingSchedule : ILearningRateSchedule
    {
        public List<double> Points { get; } = new();
        public int Epochs { get; private set; }
        public double Rate(int epoch, int epochs, double baseRate) { Epochs++; return baseRate; }
        public double RateAt(double epoch, int epochs, double baseRate) { Points.Add(epoch); return baseRate; }
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }

    sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
