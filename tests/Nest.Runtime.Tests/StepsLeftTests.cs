using Nest.Cli;
using Nest.Runtime.Synthesis;
using Xunit;

namespace Nest.Runtime.Tests;

public class StepsLeftTests
{
    static SynthesisStep Prune(int step, double seconds) =>
        new(step, SynthesisPhase.Prune, 100, 110, 200, 0.01, 0, 0, true, seconds);

    [Fact]
    public void TheFirstStepOfAResumedRunGivesNoTimeSinceItsSecondsCountFromTheFirstRun()
    {
        var left = new StepsLeft(new SynthesisSchedule());

        var text = left.After(Prune(7, 1246));

        Assert.StartsWith("at most", text);
        Assert.DoesNotContain("~", text);
    }

    [Fact]
    public void LaterStepsOfAResumedRunGiveTheTimeAtTheirOwnPace()
    {
        var left = new StepsLeft(new SynthesisSchedule());
        left.After(Prune(7, 1246));

        var text = left.After(Prune(8, 1276));   // 30 s a step

        var bound = int.Parse(text.Split(' ')[2]);
        Assert.Contains($"~{bound * 30 / 60.0:F0} min", text);
    }
}
