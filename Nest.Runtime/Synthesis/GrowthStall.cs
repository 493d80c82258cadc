namespace Nest.Runtime.Synthesis;

/// <summary>
/// How many growth steps in a row, up to the last, failed to pay for themselves: each lowered the best validation
/// error read before it by less than a minimum gain in standard errors (<see cref="ValidationNoise"/>). Counted from
/// the readings alone (the seed's, then one per growth step), so a resumed run counts as the first did.
/// </summary>
public static class GrowthStall
{
    /// <summary>The trailing steps without the gain in <paramref name="readings"/> (the seed's reading
    /// first).</summary>
    public static int Count(IReadOnlyList<double> readings, double minGain, int validationCount)
    {
        if (readings.Count == 0) return 0;
        var (stalled, best) = (0, readings[0]);
        foreach (var error in readings.Skip(1))
        {
            stalled = best - error < minGain * ValidationNoise.StandardError(best, validationCount) ? stalled + 1 : 0;
            best = Math.Min(best, error);
        }
        return stalled;
    }
}
