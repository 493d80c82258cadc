using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>NaN and infinity in training (forced by huge learning rates): caught at once, rolled back or
/// reported.</summary>
public sealed class DivergenceTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-divergence-").FullName;

    static SynthesisSchedule Schedule(double rate) => TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64, Augment = false, LearningRate = rate },
        SeedEpochs = 1,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
        Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.3, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
    };

    [Fact]
    public void TheTrainerStopsAtTheFirstNonFiniteLossNamingAParameter()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 16);
        using var net = new QuadrantNet(randomSeed: 1);

        var error = Assert.Throws<DivergenceException>(() =>
            new Trainer(
                new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e12, Augment = false }).Train(net,
                data.Train));

        Assert.NotNull(error.Layer);
        Assert.Contains(error.Layer!, error.Message);
        Assert.Contains("epoch 1", error.Message);
    }

    [Fact]
    public void APruningStepWhoseRetrainingDivergesPastItsRetriesIsUndoneAndTheRunGoesOn()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var schedule = Schedule(0.05) with { Pruning = Schedule(0.05).Pruning with { LearningRate = 1e12 } };

        // No retries: every retraining after pruning diverges at once.
        var result = new Synthesizer(schedule, kernels) { DivergenceRetries = 0 }.Run(net, data.Train, data.Validation);

        var converged = result.History.Last(h => h.Phase != SynthesisPhase.Prune);
        var steps = result.History.Where(h => h.Phase == SynthesisPhase.Prune).ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, h => Assert.False(h.Accepted));
        Assert.True(result.Divergences >= steps.Count);
        Assert.Equal(converged.Parameters, result.History[^1].Parameters);
        Assert.Null(DivergenceException.FirstNonFinite(net));
    }

    [Fact]
    public void ASynthesisThatDivergesIsRolledBackAndRetrainedAtSmallerRatesUntilItTrains()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var messages = new List<string>();

        // 1e12 diverges at once; fifty halvings reach 1e-3.
        var result =
            new Synthesizer(Schedule(1e12), kernels) { DivergenceRetries = 50, Checkpoints =
                new CheckpointStore(_folder) }
            .Run(net, data.Train, data.Validation, new Progress(p => messages.Add(p.Activity)));

        Assert.True(result.Divergences > 0);
        Assert.Contains(messages, m => m.Contains("diverged") && m.Contains("again at rate"));
        Assert.All(result.History, h => Assert.True(double.IsFinite(h.ValidationError)));
        Assert.Null(DivergenceException.FirstNonFinite(net));
        var saved = new CheckpointStore(_folder).LoadNewest() ?? throw new Xunit.Sdk.XunitException("no checkpoint");
        Assert.True(saved.Checkpoint.Header.Divergences > 0, "the count goes on in a resumed run");
    }

    [Fact]
    public void ASynthesisThatKeepsDivergingStopsNamingTheLayerAndSavesNothing()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);

        var error = Assert.Throws<DivergenceException>(() =>
            new Synthesizer(Schedule(1e12), kernels) { DivergenceRetries = 2, Checkpoints =
                new CheckpointStore(_folder) }.Run(net, data.Train, data.Validation));

        Assert.NotNull(error.Layer);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void ANetworkHoldingANaNIsNeverSaved()
    {
        using var net = new TinyConvNet(randomSeed: 3);
        using (no_grad()) net.Out.bias![1] = float.NaN;

        var error = Assert.Throws<InvalidOperationException>(() => NetworkState.Capture(net));

        Assert.Contains("Out", error.Message);
    }

    sealed class Progress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
