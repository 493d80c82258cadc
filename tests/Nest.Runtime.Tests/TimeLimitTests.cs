using Nest.Cli;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

/// <summary><see cref="Synthesizer.TimeLimit"/> and <c>--time-limit</c>: a run past its time finishes as if asked
/// to.</summary>
public sealed class TimeLimitTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-time-limit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ARunPastItsTimeLimitFinishesWithTheNetworkKeptSoFarAndSaysWhy()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 2 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 3, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        // One millisecond is over before the seed's epoch ends: the seed phase completes, nothing after it starts.
        var result = new Synthesizer(schedule, kernels) { TimeLimit = TimeSpan.FromMilliseconds(1) }
            .Run(net, data.Train, data.Validation);

        Assert.Equal(new[] { SynthesisPhase.Seed, SynthesisPhase.Final }, result.History.Select(h => h.Phase));
        Assert.Equal("time limit (1.667E-05 minutes)", result.GrowthStop);
        Assert.Equal(result.GrowthStop, result.PruneStop);
        Assert.True(result.TimeLimitReached);
        Assert.True(Evaluation.ErrorRate(net, data.Test) < 0.75, "the kept network is the trained seed (chance: 0.75)");
    }

    [Fact]
    public void ATimeLimitThatIsNotPositiveIsRefused()
    {
        var synthesizer = new Synthesizer(TestSchedules.Plain, new CpuMaskKernels());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => synthesizer.TimeLimit = TimeSpan.Zero);

        Assert.Equal("TimeLimit", error.ParamName);
    }

    [Fact]
    public async Task TimeLimitOfZeroMinutesExitsWithTwoNamingTheOptionAndWritesNothing()
    {
        var run = Path.Combine(_folder, "run");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await NestApp.RunAsync(["synthesize", "--seed", "lenet300", "--time-limit", "0", "--out", run],
            output, error);

        Assert.Equal(2, code);
        Assert.Contains("--time-limit must be a positive number of minutes (got 0)", error.ToString());
        Assert.False(Directory.Exists(run));
    }
}
