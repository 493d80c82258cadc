using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Iterative magnitude pruning: in each layer the <see cref="Fraction"/> of live connections with the
/// smallest |w| are switched off (weight zeroed), layer by layer so that no layer is emptied by a
/// global threshold that suits another layer's scale. A connection above the threshold is never removed.
/// </summary>
public sealed class MagnitudePruning(double fraction) : IPruningPolicy
{
    /// <summary>The fraction of each layer's live connections removed per step.</summary>
    public double Fraction { get; } = fraction is >= 0 and < 1 ? fraction : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1)");

    /// <inheritdoc />
    public string Name => "connections";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, IMaskKernels kernels)
    {
        long removed = 0;
        foreach (var (_, layer) in GrowthGradients.MaskedLayers(network))
            removed += PruneLayer(layer, Fraction, kernels);
        return new PruningOutcome(removed, 0);
    }

    /// <summary>Switches off round(fraction x live) of the layer's weakest live connections (ties at the threshold go together).</summary>
    public static long PruneLayer(MaskedLayer layer, double fraction, IMaskKernels kernels)
    {
        var mask = TensorArrays.Read(layer.weight_mask);
        var weight = TensorArrays.Read(layer.weight_orig);
        var live = mask.LongCount(m => m != 0);
        var k = (long)Math.Round(fraction * live, MidpointRounding.AwayFromZero);
        if (k <= 0) return 0;
        var scores = new float[mask.Length];
        kernels.LiveMagnitudeScores(weight, mask, scores);
        var threshold = kernels.KthLargest(scores, k);
        var pruned = kernels.Prune(scores, threshold, mask, weight);
        TensorArrays.Write(layer.weight_mask, mask);
        TensorArrays.Write(layer.weight_orig, weight);
        return pruned;
    }
}
