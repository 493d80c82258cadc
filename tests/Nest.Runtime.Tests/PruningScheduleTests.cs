using Nest.Runtime.Pruning;
using Nest.Runtime.Schedules;
using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

public class PruningScheduleTests
{
    [Fact]
    public void TheLateFractionCapsTheCeilingFromTheLateCompression()
    {
        var schedule =
            new PruningSchedule(new PruningOptions { Fraction = 0.2, LateFraction = 0.1, LateFromCompression = 20 });

        Assert.Equal(0.2, schedule.Ceiling(19.9));
        Assert.Equal(0.1, schedule.Ceiling(20));
    }

    [Fact]
    public void AnUndoneStepHalvesTheFractionAndKeptStepsDoubleItBackToTheCeiling()
    {
        var schedule =
            new PruningSchedule(new PruningOptions { Fraction = 0.2, RecoverySteps = 2, MinFraction = 0.04 });

        var (fraction, streak) = schedule.After(0.2, 0, kept: false, ceiling: 0.2);
        Assert.Equal((0.1, 0), (fraction, streak));
        (fraction, streak) = schedule.After(fraction, streak, kept: true, ceiling: 0.2);
        Assert.Equal((0.1, 1), (fraction, streak));
        (fraction, streak) = schedule.After(fraction, streak, kept: true, ceiling: 0.2);
        Assert.Equal((0.2, 0), (fraction, streak));
        Assert.True(schedule.Allows(0.04));
        Assert.False(schedule.Allows(0.039));
    }

    [Fact]
    public void ANegativeEpochCountIsRefusedByItsPath()
    {
        var schedule = new SynthesisSchedule { Pruning = new PruningOptions { Epochs = -1 } };

        var error = Assert.Throws<ArgumentOutOfRangeException>(schedule.Validate);

        Assert.Equal("Pruning.Epochs", error.ParamName);
    }
}
