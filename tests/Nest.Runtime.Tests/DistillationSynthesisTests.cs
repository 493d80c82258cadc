using Nest.Cli;
using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

/// <summary>Distillation from the converged network while pruning retrains, recorded or live.</summary>
public class DistillationSynthesisTests
{
    [Fact]
    public void DistillationSteersPruningWithoutLosingTheTask()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 2,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
        };
        using var plain = new TinyConvNet(randomSeed: 3);
        using var distilled = new TinyConvNet(randomSeed: 3);

        new Synthesizer(schedule, kernels).Run(plain, data.Train, data.Validation);
        var result =
            new Synthesizer(schedule with { Distillation = schedule.Distillation with { Weight = 0.5 } },
                kernels).Run(distilled, data.Train, data.Validation);

        Assert.Equal(SynthesisPhase.Final, result.History[^1].Phase);
        Assert.False(TensorAssert.Same(plain.Conv.weight_orig, distilled.Conv.weight_orig),
            "the teacher changed the training");
        Assert.True(Evaluation.ErrorRate(distilled, data.Test) < 0.5, "far better than chance (0.75)");
    }

    [Fact]
    public void ALiveTeacherSteersPruningThroughAreaMasksWithoutLosingTheTask()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = true },
            SeedEpochs = 2,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
            Distillation = TestSchedules.Plain.Distillation with { Weight = 0.5 },
        };
        using var recorded = new TinyConvNet(randomSeed: 3);
        using var live = new TinyConvNet(randomSeed: 3);

        new Synthesizer(schedule, kernels).Run(recorded, data.Train, data.Validation);
        var result =
            new Synthesizer(schedule with { Distillation = schedule.Distillation with { Live = true } },
                kernels).Run(live, data.Train, data.Validation);

        Assert.Equal(SynthesisPhase.Final, result.History[^1].Phase);
        Assert.NotNull(live.Conv.area_mask);
        Assert.False(TensorAssert.Same(recorded.Conv.weight_orig, live.Conv.weight_orig),
            "a live teacher sees the distorted images");
        Assert.True(Evaluation.ErrorRate(live, data.Test) < 0.5, "far better than chance (0.75)");
    }
}
