namespace Nest.Runtime;

/// <summary>
/// How many connections a seed layer starts with. The Nest generator computes the same number at
/// compile time (its <c>SeedConnections</c> constants), so both must use this one rule.
/// </summary>
public static class SeedDensity
{
    /// <summary>round(density x total), half away from zero, at least 1 and at most <paramref name="total"/>.</summary>
    public static long ActiveCount(long total, double density)
    {
        if (total <= 0) return 0;
        var count = (long)Math.Round(density * total, MidpointRounding.AwayFromZero);
        return Math.Clamp(count, 1, total);
    }

    /// <summary>A per-layer random seed derived from the network's, so that layers draw independent streams
    /// and resizing one layer never changes another's initialisation (SplitMix64 finaliser).</summary>
    public static long DeriveSeed(long networkSeed, int layerIndex)
    {
        unchecked
        {
            var z = (ulong)networkSeed + 0x9E3779B97F4A7C15UL * (ulong)(layerIndex + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)(z ^ (z >> 31));
        }
    }
}
