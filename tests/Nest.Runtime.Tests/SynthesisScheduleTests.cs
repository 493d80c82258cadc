using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

public class SynthesisScheduleTests
{
    [Fact]
    public void LateRetrainingEpochsApplyFromTheLateCompression()
    {
        var schedule = new SynthesisSchedule { PruneEpochs = 2, LatePruneEpochs = 3, LatePruneFromCompression = 20 };

        Assert.Equal(2, schedule.PruneEpochsAt(19.9));
        Assert.Equal(3, schedule.PruneEpochsAt(20));
        Assert.Equal(2, new SynthesisSchedule { PruneEpochs = 2 }.PruneEpochsAt(80));
    }

    [Theory]
    [InlineData(nameof(SynthesisSchedule.AverageEpochs))]
    [InlineData(nameof(SynthesisSchedule.LatePruneEpochs))]
    public void ANegativeEpochCountIsRefusedByName(string field)
    {
        var schedule = field == nameof(SynthesisSchedule.AverageEpochs) ? new SynthesisSchedule { AverageEpochs = -1 } : new SynthesisSchedule { LatePruneEpochs = -1 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(schedule.Validate);

        Assert.Equal(field, error.ParamName);
    }
}
