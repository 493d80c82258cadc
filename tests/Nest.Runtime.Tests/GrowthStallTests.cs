using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

// The standard error used as the oracle is written out here: sqrt(p (1 - p) / n) with p = (x + 1) / (n + 2).
public class GrowthStallTests
{
    static double Se(double error, int n)
    {
        var p = (error * n + 1) / (n + 2.0);
        return Math.Sqrt(p * (1 - p) / n);
    }

    [Fact]
    public void AStepThatGainsMoreThanTheMinimumResetsTheCount()
    {
        // At 10% on 1,000 examples one standard error is about 0.95 points.
        var readings = new[] { 0.10, 0.099, 0.098, 0.08 };

        Assert.Equal(0, GrowthStall.Count(readings, minGain: 1, validationCount: 1000));
    }

    [Fact]
    public void StepsShortOfTheGainCountFromTheLastStepThatPaid()
    {
        var readings = new[] { 0.10, 0.08, 0.079, 0.081 };

        Assert.Equal(2, GrowthStall.Count(readings, minGain: 1, validationCount: 1000));
    }

    [Fact]
    public void TheGainIsMeasuredFromTheBestReadingSoFarNotTheLastOne()
    {
        // 0.095 -> 0.077 gains 1.8 points on the previous reading, but only 0.3 on the best (0.080): too little.
        var readings = new[] { 0.10, 0.080, 0.095, 0.077 };
        Assert.True(0.095 - 0.077 > Se(0.095, 1000));
        Assert.True(0.080 - 0.077 < Se(0.080, 1000));

        Assert.Equal(2, GrowthStall.Count(readings, minGain: 1, validationCount: 1000));
    }

    [Fact]
    public void ASeedReadingAloneHasNoStalledSteps()
    {
        Assert.Equal(0, GrowthStall.Count(new[] { 0.3 }, minGain: 1, validationCount: 100));
    }
}
