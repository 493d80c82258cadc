using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

/// <summary>The checkpoint kept apart once the variational step is settled
/// (<see cref="CheckpointStore.SparsifiedPath"/>): a run pruned again from it under other loop options skips that
/// step's training and ends as a fresh run would.</summary>
[Collection(nameof(Alone))]
public sealed class SparsifiedCheckpointTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-sparsified-").FullName;

    // Growth, convergence, a teacher, the variational step, magnitude steps with area masks, the area tail.
    static readonly SynthesisSchedule Schedule = CheckpointResumeTests.Schedule;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ASparsifiedNetworkPrunedAgainUnderOtherLoopOptionsEndsAsAFreshRunWithoutTheVariationalStep()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var other = Schedule with
        {
            Pruning = Schedule.Pruning with { Fraction = 0.5, MaxSteps = 2, MinFraction = 0.2 },
            Area = Schedule.Area with { Fraction = 0.1, TailSteps = 1 },
        };
        using var fresh = new TinyConvNet(randomSeed: 3);
        var expected = new Synthesizer(other, kernels).Run(fresh, data.Train, data.Validation);
        using (var first = new TinyConvNet(randomSeed: 3))
            new Synthesizer(Schedule, kernels) { Checkpoints = new CheckpointStore(_folder, every: 1000) }
                .Run(first, data.Train, data.Validation);
        var store = new CheckpointStore(_folder);
        var sparsified = store.LoadSparsified() ?? throw new Xunit.Sdk.XunitException("no sparsified checkpoint");
        var activities = new List<string>();
        var again = Path.Combine(_folder, "again");

        using var pruned = new TinyConvNet(randomSeed: 11);   // another start: all must come from the checkpoints
        var result = new Synthesizer(other, kernels) { Checkpoints = new CheckpointStore(again) }
            .Run(pruned, data.Train, data.Validation, new Progress(p => activities.Add(p.Activity)),
                pruneFrom: store.LoadConverged(), sparsifiedFrom: sparsified);

        Assert.Equal(SynthesisStage.Sparsified, sparsified.Header.Position.Stage);
        Assert.DoesNotContain(activities, a => a.Contains("variational", StringComparison.Ordinal));
        Assert.Equal(CheckpointResumeTests.Comparable(expected.History),
            CheckpointResumeTests.Comparable(result.History));
        CheckpointResumeTests.AssertSameState(NetworkState.Capture(fresh), NetworkState.Capture(pruned));
        // Its own two checkpoints kept apart, so that it can be pruned again in turn.
        Assert.True(File.Exists(Path.Combine(again, "converged.nestckpt")));
        new CheckpointStore(again).LoadSparsified()!.EnsurePrunableAfterSparsifying(TinyConvNet.Topology.Name, Schedule,
            data.Train.Count, data.Validation.Count);
    }

    [Theory]
    [InlineData("Variational.Threshold")]
    [InlineData("Pruning.Epochs")]
    [InlineData("Distillation.Weight")]
    public void ASparsifiedNetworkIsRefusedUnderASettingThatShapedIt(string setting)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        var schedule = Schedule with { Growth = Schedule.Growth with { MaxSteps = 0 }, Area = Schedule.Area with
            { TailSteps = 0 }, Pruning = Schedule.Pruning with { MaxSteps = 0 } };
        using (var net = new TinyConvNet(randomSeed: 3))
            new Synthesizer(schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }
                .Run(net, data.Train, data.Validation);
        var store = new CheckpointStore(_folder);
        var changed = setting switch
        {
            "Variational.Threshold" => schedule with { Variational = schedule.Variational with { Threshold = 2 } },
            "Pruning.Epochs" => schedule with { Pruning = schedule.Pruning with { Epochs = 3 } },
            _ => schedule with { Distillation = schedule.Distillation with { Weight = 0.1 } },
        };
        using var other = new TinyConvNet(randomSeed: 3);

        var error = Assert.Throws<InvalidOperationException>(() => new Synthesizer(changed, kernels)
            .Run(other, data.Train, data.Validation, pruneFrom: store.LoadConverged(),
                sparsifiedFrom: store.LoadSparsified()));

        Assert.Contains(setting, error.Message);
    }

    sealed class Progress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
