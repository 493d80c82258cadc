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
/// <remarks>With a <see cref="CostExponent"/> g above 0 the score is |w| / c^g, c being the
/// multiply-accumulates the connection costs per example (1 in a dense layer; its live output positions
/// in a convolution): a convolution weight computes at hundreds of positions, so for FLOPs it is worth
/// pruning before a dense weight of the same size. Dense-only networks are unaffected.</remarks>
public sealed class MagnitudePruning(double fraction, double costExponent = 0)
    : IPruningPolicy
{
    /// <summary>The fraction of all live connections removed per step, and the most removed from any one
    /// layer.</summary>
    public double Fraction { get; } = fraction is >= 0 and < 1 ? fraction
        : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1)");

    /// <summary>How much a connection's multiply-accumulates lower its score (0: magnitude only).</summary>
    public double CostExponent { get; } = costExponent is >= 0 and <= 4 ? costExponent
        : throw new ArgumentOutOfRangeException(nameof(costExponent), costExponent, "must be in [0, 4]");

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
        var raw = layers.Select(l =>
        {
            var s = new float[l.Mask.Length];
            kernels.LiveMagnitudeScores(l.Weight, l.Mask, s);
            return s;
        }).ToList();
        var costs = layers.Select((l, i) => CostExponent > 0
            ? l.Layer is MaskedConv2d conv ? ConnectionCosts(conv, network.Topology.Layers[masked[i].Index]) : null
            : null).ToList();
        // Scores are -|w|: dividing by the cost brings a costly connection nearer the front.
        var scores = raw.Select((s, i) => Scale(s, costs[i], CostExponent)).ToList();

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

    // Scores divided by cost^g (a dense layer's connections cost 1 each: no costs, unchanged).
    static float[] Scale(float[] scores, float[]? costs, double g)
    {
        if (costs is null || g == 0) return scores;
        var scaled = new float[scores.Length];
        for (int j = 0; j < scores.Length; j++) scaled[j] = scores[j] / (float)Math.Pow(Math.Max(1, costs[j]), g);
        return scaled;
    }

    /// <summary>Multiply-accumulates per example of each weight of a convolution: the live area positions
    /// of its (output map, input map) pair, or every output position without an area mask.</summary>
    public static float[] ConnectionCosts(MaskedConv2d layer, LayerDescription description)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var positions = (float)description.OutputShape[1] * description.OutputShape[2];
        var costs = layer.area_mask is { } area
            ? area.sum(new long[] { 2, 3 }, keepdim: true).expand_as(layer.weight_mask).contiguous()
            : TorchSharp.torch.full_like(layer.weight_mask, positions);
        return TensorArrays.Read(costs);
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
