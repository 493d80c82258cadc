using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

/// <summary>A retraining that has clearly recovered after its first epoch stops there; one near the limit runs
/// on.</summary>
public class RecoveredRetrainingTests
{
    static List<string> Activities(double target)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64 },
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with
            {
                Fraction = 0.2, Epochs = 3, MaxSteps = 2, TargetError = target, RecoveredStandardErrors = 2,
            },
        };
        using var net = new TinyConvNet(randomSeed: 3);
        var activities = new List<string>();
        // Synchronous: every report is recorded before Run returns.
        var progress = new Progress(p => { if (p.Phase == SynthesisPhase.Prune) activities.Add(p.Activity); });

        new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation, progress);
        return activities;
    }

    [Fact]
    public void AStepFarBelowTheLimitRetrainsOneEpochOnly()
    {
        // A limit of 100% error: every step is far below it after one epoch.
        var activities = Activities(target: 1.0);

        Assert.Equal(2, activities.Count(a => a == "retraining after pruning"));
        Assert.DoesNotContain("retraining after pruning: near the limit", activities);
    }

    [Fact]
    public void AStepNotClearlyBelowTheLimitRetrainsItsWholeBudget()
    {
        // A limit of 0% error: no step is ever clearly below it, so each runs on after its first epoch.
        var activities = Activities(target: 0.0);

        Assert.Equal(activities.Count(a => a == "retraining after pruning"),
            activities.Count(a => a == "retraining after pruning: near the limit"));
        Assert.NotEmpty(activities);
    }

    sealed class Progress(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
