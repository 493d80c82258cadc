using Nest.Runtime.Kernels;
using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>
/// Growth inside the pruning phase (RigL's drop-and-grow within NeST's prune loop): after a pruning step
/// has removed connections from a layer, the dormant connections of that layer with the largest mean
/// |dL/dw| at w = 0 are switched back on, <see cref="Ratio"/> x the number removed, at weight zero. The
/// step then removes (1 - ratio) of what it pruned, but the layer's budget moves from the connections that
/// mattered least (by magnitude) to those the loss asks for most (by gradient), which magnitude pruning
/// alone cannot do once a connection is gone.
/// </summary>
/// <remarks>Only connections with a non-zero gradient are candidates: a weight whose output nothing reads
/// (a dead unit, a convolution pair without area) has none and stays off.</remarks>
public sealed class ConnectionRegrowth(double ratio)
{
    /// <summary>Connections grown back per connection pruned, per layer.</summary>
    public double Ratio { get; } = ratio is >= 0 and < 1 ? ratio : throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "must be in [0, 1)");

    /// <summary>Live connections of each masked layer, keyed by layer index: take it before a pruning step
    /// and hand it to <see cref="Regrow"/> after.</summary>
    public static Dictionary<int, long> LiveCounts(ISeedNetwork network) =>
        GrowthGradients.MaskedLayers(network).ToDictionary(l => l.Index, l => l.Layer.LiveConnections);

    /// <summary>Grows back, in each layer, round(ratio x (live before - live now)) dormant connections, the
    /// highest mean |gradient| first; returns how many were switched on.</summary>
    public long Regrow(GrowthContext context, IReadOnlyDictionary<int, long> liveBefore)
    {
        if (Ratio == 0) return 0;
        var s = context.Schedule;
        var now = LiveCounts(context.Network);
        var wanted = now.ToDictionary(p => p.Key, p => (long)Math.Round(Ratio * Math.Max(0, liveBefore.GetValueOrDefault(p.Key, p.Value) - p.Value), MidpointRounding.AwayFromZero));
        if (wanted.Values.All(k => k == 0)) return 0;
        var gradients = GrowthGradients.MeanWeightGradients(context.Network, context.Data, s.GradientBatches, s.Training.BatchSize, context.Generator);
        long added = 0;
        try
        {
            foreach (var (index, layer) in GrowthGradients.MaskedLayers(context.Network))
                added += GrowLayer(layer, gradients[index], wanted[index], context.Kernels);
        }
        finally
        {
            foreach (var g in gradients.Values) g.Dispose();
        }
        return added;
    }

    /// <summary>Switches on up to <paramref name="count"/> dormant connections of one layer with a non-zero
    /// mean gradient, the highest |gradient| first (ties at the threshold go together).</summary>
    public static long GrowLayer(MaskedLayer layer, Tensor meanGradient, long count, IMaskKernels kernels) =>
        // The floor keeps zero-gradient connections out when fewer than count have a gradient.
        ConnectionGrowth.GrowTop(layer, meanGradient, count, kernels, floor: float.Epsilon);
}
