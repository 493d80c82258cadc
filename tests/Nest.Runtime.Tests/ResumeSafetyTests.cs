using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

/// <summary>A resume continues only the run that wrote the checkpoint: other data with the same counts is refused, and
/// a checkpoint that does not belong is passed over for an older one that does.</summary>
[Collection(nameof(Alone))]
public sealed class ResumeSafetyTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-resume-safety-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static readonly SynthesisSchedule Schedule = TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64 },
        SeedEpochs = 1,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
        Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.3, Epochs = 1, MaxSteps = 3, Tolerance = 1 },
    };

    [Fact]
    public void ACheckpointRefusesOtherDataWithTheSameCounts()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16, seed: 1);
        using var other = new IdxFiles().WriteQuadrants(train: 128, test: 16, seed: 2);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var otherData = IdxDataset.Load(other.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using (var net = new TinyConvNet(randomSeed: 3))
            new Synthesizer(Schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
                data.Validation);
        var (checkpoint, _) =
            new CheckpointStore(_folder).LoadNewest() ?? throw new Xunit.Sdk.XunitException("no checkpoint");
        using var resumed = new TinyConvNet(randomSeed: 3);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new Synthesizer(Schedule, kernels).Run(resumed, otherData.Train, otherData.Validation,
                resumeFrom: checkpoint));

        Assert.StartsWith("The checkpoint's run had other data (fingerprint ", error.Message);
        Assert.Equal(DataFingerprint.Of(data.Train, data.Validation), checkpoint.Header.DataFingerprint);
    }

    [Fact]
    public void ACheckpointThatDoesNotBelongIsPassedOverForTheOneBefore()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 128, test: 16);
        using var data = IdxDataset.Load(files.Folder, validationCount: 32);
        using var kernels = new CpuMaskKernels();
        using (var net = new TinyConvNet(randomSeed: 3))
            new Synthesizer(Schedule, kernels) { Checkpoints = new CheckpointStore(_folder) }.Run(net, data.Train,
                data.Validation);
        var steps = Directory.GetFiles(_folder, "*.nestckpt").Order().ToList();
        var messages = new List<string>();

        var loaded = new CheckpointStore(_folder).LoadNewest(messages.Add,
            c => c.Header.Step == new CheckpointStore(_folder).LoadNewest()!.Value.Checkpoint.Header.Step
                ? "another run's" : null);

        Assert.Equal(steps[^2], loaded!.Value.Path);
        Assert.Equal($"skipping checkpoint '{steps[^1]}': another run's", Assert.Single(messages));
    }
}
