using Nest.Runtime.Pruning;
using Nest.Runtime.Schedules;
using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

public class PruningScheduleTests
{
    [Fact]
    public void LateRetrainingEpochsApplyFromTheLateCompression()
    {
        var schedule = new PruningSchedule(new PruningOptions { Epochs = 2, LateEpochs = 3, LateFromCompression = 20 });

        Assert.Equal(2, schedule.Epochs(19.9));
        Assert.Equal(3, schedule.Epochs(20));
        Assert.Equal(2, new PruningSchedule(new PruningOptions { Epochs = 2 }).Epochs(80));
    }

    [Fact]
    public void TheLateFractionCapsTheCeilingFromTheLateCompression()
    {
        var schedule = new PruningSchedule(new PruningOptions { Fraction = 0.2, LateFraction = 0.1, LateFromCompression = 20 });

        Assert.Equal(0.2, schedule.Ceiling(19.9));
        Assert.Equal(0.1, schedule.Ceiling(20));
    }

    [Fact]
    public void AnUndoneStepHalvesTheFractionAndKeptStepsDoubleItBackToTheCeiling()
    {
        var schedule = new PruningSchedule(new PruningOptions { Fraction = 0.2, RecoverySteps = 2, MinFraction = 0.04 });

        var (fraction, streak) = schedule.After(0.2, 0, kept: false, ceiling: 0.2);
        Assert.Equal((0.1, 0), (fraction, streak));
        (fraction, streak) = schedule.After(fraction, streak, kept: true, ceiling: 0.2);
        Assert.Equal((0.1, 1), (fraction, streak));
        (fraction, streak) = schedule.After(fraction, streak, kept: true, ceiling: 0.2);
        Assert.Equal((0.2, 0), (fraction, streak));
        Assert.True(schedule.Allows(0.04));
        Assert.False(schedule.Allows(0.039));
    }

    [Theory]
    [InlineData("Pruning.AverageEpochs")]
    [InlineData("Pruning.LateEpochs")]
    public void ANegativeEpochCountIsRefusedByItsPath(string field)
    {
        var schedule = field == "Pruning.AverageEpochs"
            ? new SynthesisSchedule { Pruning = new PruningOptions { AverageEpochs = -1 } }
            : new SynthesisSchedule { Pruning = new PruningOptions { LateEpochs = -1 } };

        var error = Assert.Throws<ArgumentOutOfRangeException>(schedule.Validate);

        Assert.Equal(field, error.ParamName);
    }
}
