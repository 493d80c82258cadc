using Nest.Runtime.Kernels;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Picks a pruning step's cost exponent so that the step removes at least the share of the network's
/// multiply-accumulates that it removes of its connections: FLOPs then fall at least as fast as parameters,
/// whatever the layers' sizes and however the weights' magnitudes differ between them, with no exponent to tune.
/// </summary>
/// <remarks>A magnitude threshold alone spares convolution weights (few, large, each computed at hundreds of
/// positions) and thins the big dense layers, so parameters fall far faster than FLOPs. Dense-only networks cost one
/// multiply-accumulate per connection, so the first exponent, 0, always balances them: they prune as before.</remarks>
public static class CostBalance
{
    /// <summary>The exponents tried, smallest first (the range that <see cref="MagnitudePruning.CostExponent"/>
    /// allows).</summary>
    public static IReadOnlyList<double> Exponents { get; } = Enumerable.Range(0, 17).Select(i => i * 0.25).ToArray();

    /// <summary>The smallest exponent whose step balances FLOPs against connections, or the largest tried.</summary>
    /// <param name="scores">Each layer's live scores, -|w| (-infinity where the connection is dormant).</param>
    /// <param name="costs">Each layer's multiply-accumulates per connection; null for a dense layer (1 each).</param>
    /// <param name="fraction">The step's fraction of all live connections, and the most removed from any one
    /// layer.</param>
    /// <param name="kernels">The kernels that find the step's threshold, as the step itself does.</param>
    public static double Exponent(IReadOnlyList<float[]> scores, IReadOnlyList<float[]?> costs, double fraction,
        IMaskKernels kernels)
    {
        var live = scores.Select(s => s.LongCount(float.IsFinite)).ToArray();
        var liveConnections = live.Sum();
        double liveMacs = 0;
        for (int i = 0; i < scores.Count; i++)
            liveMacs += Picked(scores[i], costs[i], float.NegativeInfinity, long.MaxValue).Macs;
        var k = MagnitudePruning.Share(fraction, liveConnections);
        if (k <= 0 || liveMacs <= 0) return 0;
        foreach (var g in Exponents)
        {
            var scaled = scores.Select((s, i) => Scale(s, costs[i], g)).ToList();
            var threshold = kernels.KthLargest(scaled.SelectMany(s => s).ToArray(), k);
            double removed = 0, removedMacs = 0;
            for (int i = 0; i < scaled.Count; i++)
            {
                var (count, macs) = Picked(scaled[i], costs[i], threshold, MagnitudePruning.Share(fraction, live[i]));
                removed += count;
                removedMacs += macs;
            }
            if (removed > 0 && removedMacs / liveMacs >= removed / liveConnections) return g;
        }
        return Exponents[^1];
    }

    /// <summary>Scores divided by cost^g, as <see cref="MagnitudePruning"/> scores them.</summary>
    public static float[] Scale(float[] scores, float[]? costs, double g)
    {
        if (costs is null || g == 0) return scores;
        var scaled = new float[scores.Length];
        for (int j = 0; j < scores.Length; j++) scaled[j] = scores[j] / (float)Math.Pow(Math.Max(1, costs[j]), g);
        return scaled;
    }

    /// <summary>The at most <paramref name="cap"/> highest live scores at or above the threshold: how many, and their
    /// multiply-accumulates.</summary>
    static (long Count, double Macs) Picked(float[] scores, float[]? costs, float threshold, long cap)
    {
        bool Above(int j) => float.IsFinite(scores[j]) && scores[j] >= threshold;
        if (costs is null)
        {
            var count = Math.Min(cap, Enumerable.Range(0, scores.Length).LongCount(Above));
            return (count, count);
        }
        var picked = Enumerable.Range(0, scores.Length).Where(Above).ToList();
        // Only a layer over its cap needs its highest scores found.
        var kept = picked.Count <= cap ? picked : picked.OrderByDescending(j => scores[j]).Take((int)cap).ToList();
        return (kept.Count, kept.Sum(j => (double)Math.Max(1, costs[j])));
    }
}
