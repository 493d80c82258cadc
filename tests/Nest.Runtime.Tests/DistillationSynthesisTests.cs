using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

/// <summary>Distillation from the converged network while pruning retrains.</summary>
public class DistillationSynthesisTests
{
    // Two seeds, no growth, two pruning steps that are always kept.
    static readonly SynthesisSchedule Schedule = TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64 },
        SeedEpochs = 2,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
        Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
    };

    [Fact]
    public void DistillationSteersPruningWithoutLosingTheTask()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var plain = new TinyConvNet(randomSeed: 3);
        using var distilled = new TinyConvNet(randomSeed: 3);
        var withTeacher = Schedule with { Distillation = Schedule.Distillation with { Weight = 0.5 } };

        new Synthesizer(Schedule, kernels).Run(plain, data.Train, data.Validation);
        var result = new Synthesizer(withTeacher, kernels).Run(distilled, data.Train, data.Validation);

        Assert.Equal(SynthesisPhase.Final, result.History[^1].Phase);
        Assert.False(TensorAssert.Same(plain.Conv.weight_orig, distilled.Conv.weight_orig),
            "the teacher changed the training");
        Assert.True(Evaluation.ErrorRate(distilled, data.Test) < 0.5, "far better than chance (0.75)");
    }
}
