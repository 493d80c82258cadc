using Nest.Cli;
using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

/// <summary>Distillation from the converged network while pruning retrains.</summary>
public class DistillationSynthesisTests
{
    [Fact]
    public void DistillationSteersPruningWithoutLosingTheTask()
    {
        var schedule = Schedule();
        RunPair(schedule, schedule with { Distillation = schedule.Distillation with { Weight = 0.5 } },
            (plain, distilled, result, test) =>
            {
                Assert.Equal(SynthesisPhase.Final, result.History[^1].Phase);
                Assert.False(TensorAssert.Same(plain.Conv.weight_orig, distilled.Conv.weight_orig),
                    "the teacher changed the training");
                Assert.True(Evaluation.ErrorRate(distilled, test) < 0.5, "far better than chance (0.75)");
            });
    }

    // Two seeds, no growth, two pruning steps that are always kept.
    static SynthesisSchedule Schedule() => TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64 },
        SeedEpochs = 2,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
        Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 2, Tolerance = 1 },
    };

    // Synthesizes the same TinyConvNet under a baseline schedule and a variant, on the same quadrant data, and hands
    // both networks, the variant's result and the test images to the checks.
    static void RunPair(SynthesisSchedule baseline, SynthesisSchedule variant,
        Action<TinyConvNet, TinyConvNet, SynthesisResult, ImageDataset> check)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var first = new TinyConvNet(randomSeed: 3);
        using var second = new TinyConvNet(randomSeed: 3);
        new Synthesizer(baseline, kernels).Run(first, data.Train, data.Validation);
        var result = new Synthesizer(variant, kernels).Run(second, data.Train, data.Validation);
        check(first, second, result, data.Test);
    }
}
