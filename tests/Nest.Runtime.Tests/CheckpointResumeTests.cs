using Nest.Runtime.Pruning;
using Nest.Runtime.Growth;
using System.Text.Json;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

/// <summary>No other test runs beside these: MKL picks its threads by what else runs (MKL_DYNAMIC), which changes
/// float sums in the last bits, so two runs are compared only when nothing else is running.</summary>
[CollectionDefinition(nameof(Alone), DisableParallelization = true)]
public sealed class Alone;

/// <summary>Checkpoints taken between steps and runs resumed from them (<see cref="SynthesisCheckpoint"/>).</summary>
[Collection(nameof(Alone))]
public sealed class CheckpointResumeTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "nest-checkpoints-" + Guid.NewGuid().ToString("N"));

    // Every phase with state to carry: growth (maps added), convergence, a recorded teacher, the variational
    // step, magnitude steps with area masks (maps removed when kept), the area tail, the final measurement.
    internal static readonly SynthesisSchedule Schedule = TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64 },
        SeedEpochs = 1,
        ConvergeEpochs = 1,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 2, TargetError = -1, Epochs = 1, GradientBatches = 2 },
        Distillation = TestSchedules.Plain.Distillation with { Weight = 0.5 },
        Variational = TestSchedules.Plain.Variational with { Epochs = 1 },
        Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.3, Epochs = 1, MaxSteps = 3, Tolerance = 1 },
        Area = TestSchedules.Plain.Area with { Fraction = 0.2, TailSteps = 2 },
    };

    // Seed training and magnitude steps only, for the tests of the files themselves.
    static readonly SynthesisSchedule Short =
        Schedule with { ConvergeEpochs = 0, Growth = Schedule.Growth with { MaxSteps = 0 }, Variational =
            Schedule.Variational with { Epochs = 0 }, Distillation = Schedule.Distillation with { Weight = 0 }, Area =
                Schedule.Area with { TailSteps = 0 } };

    static Synthesizer Synthesizer(IMaskKernels kernels, CheckpointStore? store) =>
        new(Schedule, kernels) { Checkpoints = store };

    [Theory]
    // The run: 0 seed, 1-2 growth (a map each), 3 converged, 4 variational, 5-7 magnitude (7 removes a map),
    // 8-9 area tail (8 removes a map), 10 final.
    [InlineData(0)]   // after the seed
    [InlineData(1)]   // between two growth steps
    [InlineData(3)]   // converged: the teacher is set up from the checkpoint
    [InlineData(4)]   // after the variational step
    [InlineData(6)]   // between two magnitude steps
    [InlineData(7)]   // after a step that removed a map
    [InlineData(8)]   // in the area tail
    public void ARunStoppedAfterAStepAndResumedEndsAsTheUninterruptedRun(int stopAfter)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var whole = new TinyConvNet(randomSeed: 3);
        var expected = Synthesizer(kernels, null).Run(whole, data.Train, data.Validation);

        using (var stopped = new TinyConvNet(randomSeed: 3))
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new Progress(p => { if (p.Completed?.Step == stopAfter) cancel.Cancel(); });
            Assert.Throws<OperationCanceledException>(() =>
                Synthesizer(kernels, new CheckpointStore(_folder)).Run(stopped, data.Train, data.Validation, progress,
                    cancel.Token));
        }
        var (checkpoint, _) =
            new CheckpointStore(_folder).LoadNewest() ?? throw new Xunit.Sdk.XunitException("no checkpoint written");
        using var resumed =
            new TinyConvNet(randomSeed: 11);   // another start: everything must come from the checkpoint
        var result =
            Synthesizer(kernels, new CheckpointStore(_folder)).Run(resumed, data.Train, data.Validation,
                resumeFrom: checkpoint);

        Assert.Equal(stopAfter, checkpoint.Header.Step);
        Assert.Equal(Comparable(expected.History), Comparable(result.History));
        Assert.Equal(expected.TargetError, result.TargetError);
        AssertSameState(NetworkState.Capture(whole), NetworkState.Capture(resumed));
    }

    [Fact]
    public void ARunFinishedEarlyLeavesACheckpointThatResumesAsIfItNeverStopped()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var whole = new TinyConvNet(randomSeed: 3);
        var expected = Synthesizer(kernels, null).Run(whole, data.Train, data.Validation);
        using var finish = new CancellationTokenSource();
        using var early = new TinyConvNet(randomSeed: 3);
        var progress = new Progress(p => { if (p.Completed?.Step == 5) finish.Cancel(); });

        var stopped =
            Synthesizer(kernels, new CheckpointStore(_folder, every: 3)).Run(early, data.Train, data.Validation,
                progress, finish: finish.Token);
        var (checkpoint, _) = new CheckpointStore(_folder).LoadNewest()!.Value;
        using var resumed = new TinyConvNet(randomSeed: 3);
        var result = Synthesizer(kernels, null).Run(resumed, data.Train, data.Validation, resumeFrom: checkpoint);

        Assert.Equal(SynthesisPhase.Final, stopped.History[^1].Phase);
        Assert.True(stopped.History.Count < expected.History.Count, "the early run skipped the steps after 5");
        Assert.Equal(5,
            checkpoint.Header.Step);   // written at the request although not due (every 3), and not overwritten by the finishing
        Assert.Equal(Comparable(expected.History), Comparable(result.History));
        AssertSameState(NetworkState.Capture(whole), NetworkState.Capture(resumed));
    }

    [Fact]
    public void ATamperedCheckpointIsSkippedForTheOneBeforeWithAMessage()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var schedule = Short;
        new Synthesizer(schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
            data.Validation);
        var newest = Directory.GetFiles(_folder, "*.nestckpt").Max()!;
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(newest, bytes);
        var messages = new List<string>();

        var loaded = new CheckpointStore(_folder).LoadNewest(messages.Add);

        Assert.NotNull(loaded);
        Assert.NotEqual(newest, loaded.Value.Path);
        var message = Assert.Single(messages);
        Assert.Contains(Path.GetFileName(newest), message);
        Assert.Contains("checksum", message);
    }

    [Fact]
    public void AResumeTakesTheNewestWholeCheckpointAndRemovesTheHalfWrittenOneACrashLeft()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        new Synthesizer(Short, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
            data.Validation);
        var newest = Directory.GetFiles(_folder, "*.nestckpt").Max()!;
        var step =
            int.Parse(Path.GetFileNameWithoutExtension(newest)[5..], System.Globalization.CultureInfo.InvariantCulture);
        // What a kill between the first byte and the rename leaves: the next step's temporary file, half written.
        var unfinished = Path.Combine(_folder, $"step-{step + 1:D4}.nestckpt.tmp");
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(unfinished, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var (checkpoint, path) =
            new CheckpointStore(_folder).LoadForResume(TinyConvNet.Topology.Name, Short, data.Train, data.Validation);

        Assert.Equal(newest, path);
        Assert.Equal(step, checkpoint.Header.Step);
        Assert.False(File.Exists(unfinished));
    }

    [Fact]
    public void AResumeOnOtherDataFindsNoCheckpointOfItsRunAndSaysWhy()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var other = IdxDataset.Load(files.Folder, validationCount: 48);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        new Synthesizer(Short, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
            data.Validation);
        var skipped = new List<string>();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new CheckpointStore(_folder).LoadForResume(TinyConvNet.Topology.Name, Short, other.Train, other.Validation,
                skipped.Add));

        Assert.Contains(_folder, error.Message);
        Assert.Contains("last refused", error.Message);
        Assert.Equal(Directory.GetFiles(_folder, "*.nestckpt").Length, skipped.Count);
    }

    [Fact]
    public void AFullDiskFailsTheWriteNamingTheFileAndLeavesTheEarlierCheckpointWhole()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var schedule = Short;
        Directory.CreateDirectory(_folder);
        // Step 1's checkpoint goes through step-0001.nestckpt.tmp: made a link to /dev/full, every write to it fails
        // with "No space left on device", as on a full disk.
        File.CreateSymbolicLink(Path.Combine(_folder, "step-0001.nestckpt.tmp"), "/dev/full");

        var error = Assert.Throws<IOException>(() =>
            new Synthesizer(schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
                data.Validation));

        Assert.Contains("step-0001.nestckpt", error.Message);
        Assert.Contains("space", error.Message);
        var (kept, path) =
            new CheckpointStore(_folder).LoadNewest()
                ?? throw new Xunit.Sdk.XunitException("the step-0 checkpoint is gone");
        Assert.Equal(0, kept.Header.Step);
        Assert.EndsWith("step-0000.nestckpt", path);
        Assert.Equal(["converged.nestckpt", "step-0000.nestckpt"],
            Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void OnlyTheNewestCheckpointsAreKeptBesideTheConvergedOne()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var schedule = Short;

        var result =
            new Synthesizer(schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
                data.Validation);

        var steps = result.History.Where(h => h.Phase != SynthesisPhase.Final).Select(h => h.Step).TakeLast(2);
        Assert.Equal(steps.Select(s => $"step-{s:D4}.nestckpt").Prepend("converged.nestckpt"),
            Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AConvergedNetworkPrunedAgainEndsAsAFreshRunUnderThoseOptions()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 32);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        // Every pruning record differs: the limit (set again from the converged error), step sizes, the area, the
        // variational step and the teacher.
        var other = Schedule with
        {
            Pruning = Schedule.Pruning with { Fraction = 0.5, MaxSteps = 2, Tolerance = 0.5 },
            Area = Schedule.Area with { Fraction = 0.1, TailSteps = 1 },
            Variational = Schedule.Variational with { Epochs = 0 },
            Distillation = Schedule.Distillation with { Weight = 0.25 },
        };
        using var fresh = new TinyConvNet(randomSeed: 3);
        var expected = new Synthesizer(other, kernels).Run(fresh, data.Train, data.Validation);
        using (var first = new TinyConvNet(randomSeed: 3))
            Synthesizer(kernels, new CheckpointStore(_folder)).Run(first, data.Train, data.Validation);
        var converged = new CheckpointStore(_folder).LoadConverged();
        var again = Path.Combine(_folder, "again");

        using var pruned = new TinyConvNet(randomSeed: 11);   // another start: everything must come from the checkpoint
        var result = new Synthesizer(other, kernels) { Checkpoints = new CheckpointStore(again) }
            .Run(pruned, data.Train, data.Validation, pruneFrom: converged);

        Assert.Equal(SynthesisStage.Converged, converged.Header.Position.Stage);
        Assert.Equal(Comparable(expected.History), Comparable(result.History));
        Assert.Equal(expected.TargetError, result.TargetError);
        AssertSameState(NetworkState.Capture(fresh), NetworkState.Capture(pruned));
        // Its own converged checkpoint, under its own schedule: a resume of it before any step checkpoint starts there.
        new CheckpointStore(again).LoadConverged()
            .EnsureResumable(TinyConvNet.Topology.Name, other, data.Train.Count, data.Validation.Count);
    }

    [Fact]
    public void WithoutStepCheckpointsAResumeStartsFromTheConvergedOneAndANewRunClearsIt()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using (var net = new TinyConvNet(randomSeed: 3))
            new Synthesizer(Short, kernels) { Checkpoints = new CheckpointStore(_folder, every: 1000) }
                .Run(net, data.Train, data.Validation);
        var store = new CheckpointStore(_folder);

        var (checkpoint, path) = store.LoadForResume(TinyConvNet.Topology.Name, Short, data.Train, data.Validation);
        var cleared = store.Clear();

        Assert.Equal(store.ConvergedPath, path);
        Assert.Equal(SynthesisStage.Converged, checkpoint.Header.Position.Stage);
        Assert.Equal(1, cleared);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void ARunFinishedEarlyInGrowthKeepsNoConvergedNetwork()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var finish = new CancellationTokenSource();
        using var net = new TinyConvNet(randomSeed: 3);
        var progress = new Progress(p => { if (p.Completed?.Phase == SynthesisPhase.Grow) finish.Cancel(); });

        Synthesizer(kernels, new CheckpointStore(_folder)).Run(net, data.Train, data.Validation, progress,
            finish: finish.Token);

        Assert.True(finish.IsCancellationRequested);
        Assert.False(File.Exists(new CheckpointStore(_folder).ConvergedPath),
            "growth was cut short: not what the schedule converges");
    }

    [Fact]
    public void ARunAskedToFinishDuringConvergenceKeepsTheConvergedNetworkForPruningAgain()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var finish = new CancellationTokenSource();
        using var net = new TinyConvNet(randomSeed: 3);
        // Asked as the convergence epochs begin: they still run in full, as a time limit passing then would let them.
        var progress = new Progress(p =>
        {
            if (p.Phase == SynthesisPhase.Converge && p.Completed is null) finish.Cancel();
        });

        var result = Synthesizer(kernels, new CheckpointStore(_folder))
            .Run(net, data.Train, data.Validation, progress, finish: finish.Token);

        Assert.True(finish.IsCancellationRequested);
        Assert.DoesNotContain(result.History, h => h.Phase == SynthesisPhase.Prune);
        var converged = new CheckpointStore(_folder).LoadConverged();
        Assert.Equal(SynthesisStage.Converged, converged.Header.Position.Stage);
        Assert.Equal(result.History.Single(h => h.Phase == SynthesisPhase.Converge).ValidationError,
            converged.Header.History[^1].ValidationError);
    }

    [Theory]
    [InlineData("growth")]
    [InlineData("step")]
    public void PruningAgainRefusesANetworkGrownOtherwiseOrNotAtConvergence(string what)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        var store = new CheckpointStore(_folder);
        using (var net = new TinyConvNet(randomSeed: 3))
            new Synthesizer(Short, kernels) { Checkpoints = store }.Run(net, data.Train, data.Validation);
        var (checkpoint, schedule) = what == "growth"
            ? (store.LoadConverged(), Short with { Growth = Short.Growth with { Epochs = 2 } })
            : (store.LoadNewest()!.Value.Checkpoint, Short);
        using var other = new TinyConvNet(randomSeed: 3);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Synthesizer(schedule, kernels).Run(other, data.Train, data.Validation, pruneFrom: checkpoint));

        Assert.Contains(what == "growth" ? "another Growth setting" : "not when the grown network had converged",
            error.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherScheduleIsRefused()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var schedule = Short with { Pruning = Short.Pruning with { MaxSteps = 1 } };
        new Synthesizer(schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
            data.Validation);
        var (checkpoint, _) = new CheckpointStore(_folder).LoadNewest()!.Value;
        using var other = new TinyConvNet(randomSeed: 3);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Synthesizer(schedule with { Pruning = schedule.Pruning with { Fraction = 0.5 } }, kernels).Run(other,
                data.Train, data.Validation, resumeFrom: checkpoint));

        Assert.Contains("another schedule", error.Message);
    }

    internal static string Comparable(IEnumerable<SynthesisStep> history) =>
        JsonSerializer.Serialize(history.Select(h => h with { Seconds = 0, ResidentBytes = null }));

    // Masks and area masks exactly; weights to float noise (measured: the same bits when run alone, within 1e-5 when
    // another test ran beside them, before these ran alone).
    internal static void AssertSameState(NetworkState expected, NetworkState actual)
    {
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        foreach (var (e, a) in expected.Layers.Zip(actual.Layers))
        {
            Assert.Equal(e.Shape, a.Shape);
            Assert.Equal(e.Mask, a.Mask);
            Assert.Equal(e.Area, a.Area);
            Assert.Equal(e.Weight, a.Weight, new Close(1e-4f));
            Assert.Equal(e.Bias ?? [], a.Bias ?? [], new Close(1e-4f));
        }
    }

    sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }

    sealed class Progress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
