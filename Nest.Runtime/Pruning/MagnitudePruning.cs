using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Masks;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Iterative magnitude pruning. Each step removes the weakest live connections by one threshold on
/// |w| over the whole network (so a small layer of large weights, such as the output layer, is not
/// thinned at the rate of a large layer of small ones), but never more than <see cref="Fraction"/> of
/// any layer's live connections, so every layer shrinks gradually. A connection scoring above the
/// threshold is never removed.
/// </summary>
public sealed class MagnitudePruning(double fraction) : IPruningPolicy
{
    /// <summary>The fraction of all live connections removed per step, and the most removed from any one
    /// layer.</summary>
    public double Fraction { get; } = fraction is >= 0 and < 1 ? fraction
        : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1)");

    /// <inheritdoc />
    public string Name => "connections";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, IMaskKernels kernels)
    {
        var masked = GrowthGradients.MaskedLayers(network);
        var layers = masked
            .Select(l => (l.Layer, Mask: TensorArrays.Read(l.Layer.weight_mask),
                Weight: TensorArrays.Read(l.Layer.weight_orig)))
            .ToList();
        var scores = layers.Select(l =>
        {
            var s = new float[l.Mask.Length];
            kernels.LiveMagnitudeScores(l.Weight, l.Mask, s);
            return s;
        }).ToList();

        // One threshold over every layer's live connections.
        var all = scores.SelectMany(s => s).ToArray();
        var live = layers.Sum(l => l.Mask.LongCount(m => m != 0));
        var k = Share(Fraction, live);
        if (k <= 0) return new PruningOutcome(0, 0);
        var global = kernels.KthLargest(all, k);

        long removed = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            var (layer, mask, weight) = layers[i];
            var cap = Share(Fraction, mask.LongCount(m => m != 0));
            // Scores are -|w|: the layer's cap and the global threshold, whichever removes fewer.
            removed += MaskUpdate.Apply(layer, scores[i], mask, weight, cap, grow: false, kernels, floor: global);
        }
        return new PruningOutcome(removed, 0);
    }

    /// <summary>How many of <paramref name="live"/> connections a fraction removes: round(fraction x live), halves
    /// up (as the step's total and each layer's cap are counted).</summary>
    public static long Share(double fraction, long live) =>
        (long)Math.Round(fraction * live, MidpointRounding.AwayFromZero);

    /// <summary>Switches off round(fraction x live) of one layer's weakest live connections (ties at the threshold go
    /// together).</summary>
    public static long PruneLayer(MaskedLayer layer, double fraction, IMaskKernels kernels)
    {
        var mask = TensorArrays.Read(layer.weight_mask);
        var weight = TensorArrays.Read(layer.weight_orig);
        var live = mask.LongCount(m => m != 0);
        var k = Share(fraction, live);
        var scores = new float[mask.Length];
        kernels.LiveMagnitudeScores(weight, mask, scores);
        return MaskUpdate.Apply(layer, scores, mask, weight, k, grow: false, kernels);
    }
}
