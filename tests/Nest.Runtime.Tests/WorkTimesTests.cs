using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

public class WorkTimesTests
{
    [Fact]
    public void ASynthesisAccountsItsTimeByKindOfWorkWithinItsWallTime()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64 },
            RateCheckBatches = 4, SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 1, Epochs = 1, GradientBatches = 2 },
            Pruning = TestSchedules.Plain.Pruning with { Epochs = 1, MaxSteps = 1, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        Assert.Equal(["rateCheck", "training", "growth", "pruning", "evaluation", "checkpoints"],
            result.WorkSeconds.Keys);
        Assert.All(new[] { "rateCheck", "training", "growth", "pruning", "evaluation" }, k =>
            Assert.True(result.WorkSeconds[k] > 0, k));
        Assert.Equal(0, result.WorkSeconds["checkpoints"]);
        Assert.True(result.WorkSeconds.Values.Sum() <= result.Seconds + 0.01, "the parts fit in the whole");
    }
}
