using Nest.Runtime.Growth;
using Nest.Runtime.Pruning;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>The defaults that follow what a run measures: the pruning limit in units of the validation noise, growth
/// stopped by its own gain, a checked learning rate, epochs that scale with the data, a validation share.</summary>
public class RelativeDefaultsTests
{
    [Theory]
    [InlineData(0.11, 5000, 0.00443)]   // sqrt(0.11 x 0.89 / 5000), hand-computed
    [InlineData(0.01, 10000, 0.000999)] // about 0.1% at 1% on 10,000 images
    [InlineData(0.0, 500, 0.00199)]     // no errors: p = 1/502, about one example's worth
    public void TheStandardErrorIsTheBinomialOneOfTheReading(double error, int count, double expected)
    {
        Assert.Equal(expected, ValidationNoise.StandardError(error, count), 5);
    }

    [Fact]
    public void WithoutATargetTheLimitIsTheConvergedErrorPlusItsStandardErrors()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            // A rate too small to learn anything keeps the error well above 0, so the limit read is telling.
            Training = new TrainingOptions { BatchSize = 64, LearningRate = 1e-12 },
            SeedEpochs = 1,
            ConvergeEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning =
                TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 1, LearningRate = 1e-12,
                    LimitStandardErrors = 3 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var e = result.History.Single(h => h.Phase == SynthesisPhase.Converge).ValidationError;
        var p = (e * 64 + 1) / 66;
        Assert.Equal(e + 3 * Math.Sqrt(p * (1 - p) / 64), result.TargetError, 12);
    }

    [Fact]
    public void GrowthStopsAtTheFirstStepThatGainsLessThanTheValidationNoise()
    {
        var result = GrowUnpaid(TestSchedules.Plain.Growth);

        Assert.Equal(1, result.History.Count(h => h.Phase == SynthesisPhase.Grow));
        Assert.StartsWith("gain below 1000 standard error(s)", result.GrowthStop);
        Assert.Equal("step budget (1 pruning steps)", result.PruneStop);
    }

    // A short synthesis in which no growth step can gain the 1,000 standard errors asked of it.
    static SynthesisResult GrowUnpaid(GrowthOptions growth)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64 },
            SeedEpochs = 1,
            Growth = growth with { MaxSteps = 4, Epochs = 1, GradientBatches = 2, MinGain = 1000 },
            Pruning = TestSchedules.Plain.Pruning with { Epochs = 1, MaxSteps = 1, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 3);
        return new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);
    }

    [Fact]
    public void ARateThatTrainsPassesTheCheckAndLeavesTheNetworkAsItWas()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var net = new TinyConvNet(randomSeed: 3);
        var before = net.parameters().Select(p => p.detach().clone()).ToList();

        var rate =
            RateCheck.Find(net, data.Train, new TrainingOptions { BatchSize = 32, LearningRate = 0.05 }, batches: 30);

        Assert.Equal(0.05, rate);
        Assert.All(net.parameters().Zip(before), pair =>
            Assert.True(pair.First.detach().equal(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void ARateUnderWhichTheLossDoesNotFallIsHalvedUntilTheCheckGivesUp()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var net = new TinyConvNet(randomSeed: 3);
        var notices = new List<string>();

        var error = Assert.Throws<RateCheckFailedException>(() =>
            RateCheck.Find(net, data.Train, new TrainingOptions { BatchSize = 32, LearningRate = 1e-9 }, batches: 10,
                notices.Add));

        Assert.Equal(RateCheck.MaxHalvings, notices.Count);
        Assert.StartsWith("No learning rate from 1E-09 down to 1.56E-11 trains this seed", error.Message);
    }

    [Fact]
    public void ASmallSetIsPassedOverSeveralTimesPerEpoch()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 164, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var net = new TinyConvNet(randomSeed: 3);
        var batches = new List<int>();

        // 100 images in batches of 10 are 10 batches a pass; at least 25 a epoch take three passes.
        new Trainer(new TrainingOptions { Epochs = 1, BatchSize = 10, MinBatchesPerEpoch = 25 })
            .Train(net, data.Train, progress: new Inline<TrainingProgress>(p => batches.Add(p.Batches)));

        Assert.All(batches, b => Assert.Equal(30, b));
    }

    [Fact]
    public void DistortionsOfFlatInputsAreRefusedNamingTheShape()
    {
        using var train = new ImageDataset("flat/train", randn(16, 4), zeros(16, ScalarType.Int64), 2);
        using var net = new TinyNet(randomSeed: 1);

        var error = Assert.Throws<ArgumentException>(() =>
            new Trainer(new TrainingOptions { Epochs = 1, BatchSize = 8, Augment = true }).Train(net, train));

        Assert.Contains("flat/train holds inputs of shape [16, 4]", error.Message);
    }

    [Fact]
    public void AValidationFractionHoldsOutThatShareOfTheTrainingImages()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 300, test: 20);

        using var data = IdxDataset.Load(files.Folder, validationFraction: 0.1);

        Assert.Equal(30, data.Validation.Count);
        Assert.Equal(270, data.Train.Count);
    }

    sealed class Inline<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
