using Nest.Runtime.Training;
using Nest.Runtime.Pruning;
using Nest.Runtime.Growth;
using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

/// <summary>Schedules for short synthesis tests: each rule under test is switched on by the test itself, so the base
/// has no rate check, no convergence epochs, no distillation, no late fraction, growth for its whole step budget and
/// a pruning limit of the converged error plus <see cref="SynthesisSchedule.PruneTolerance"/> alone.</summary>
static class TestSchedules
{
    public static SynthesisSchedule Plain { get; } = new()
    {
        RateCheckBatches = 0,
        ConvergeEpochs = 0,
        Distillation = new DistillationOptions { Weight = 0 },
        Pruning =
            new PruningOptions { LateFraction = null, MinFraction = 0.04, LimitStandardErrors = 0,
                RecoveredStandardErrors = null },
        Growth = new GrowthOptions { MinGain = -1 },
    };
}
