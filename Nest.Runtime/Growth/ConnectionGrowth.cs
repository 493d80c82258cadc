using Nest.Runtime.Kernels;
using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>
/// Gradient-based connection growth (NeST): every dormant connection is scored by |dL/dw| at w = 0,
/// the loss gradient of the full weight averaged over many batches (one batch is too noisy a signal);
/// in each layer the top <see cref="GrowthOptions.ConnectionRatio"/> x live ones
/// are switched on at weight zero, so the network's function is unchanged until training moves them.
/// </summary>
public sealed class ConnectionGrowth : IGrowthPolicy
{
    /// <inheritdoc />
    public string Name => "connections";

    /// <inheritdoc />
    public GrowthOutcome Grow(GrowthContext context)
    {
        var s = context.Options;
        var gradients =
            GrowthGradients.MeanWeightGradients(context.Network, context.Data, s.GradientBatches, context.BatchSize,
                context.Generator);
        long added = 0;
        try
        {
            foreach (var (index, layer) in GrowthGradients.MaskedLayers(context.Network))
                added += GrowLayer(layer, gradients[index], s.ConnectionRatio, context.Kernels);
        }
        finally
        {
            foreach (var g in gradients.Values) g.Dispose();
        }
        return new GrowthOutcome(added, 0);
    }

    /// <summary>Switches on up to ratio x live dormant connections of one layer, the highest |gradient|
    /// first.</summary>
    public static long GrowLayer(MaskedLayer layer, Tensor meanGradient, double ratio, IMaskKernels kernels)
    {
        var live = layer.LiveConnections;
        var dormant = layer.weight_mask.numel() - live;
        var k = Math.Min(dormant, (long)Math.Round(ratio * live, MidpointRounding.AwayFromZero));
        return GrowTop(layer, meanGradient, k, kernels);
    }

    /// <summary>Switches on the <paramref name="count"/> dormant connections of one layer with the highest
    /// |gradient| (ties at the threshold go together), only those scoring at least <paramref name="floor"/>
    /// when given, at weight zero; returns how many.</summary>
    public static long GrowTop(MaskedLayer layer, Tensor meanGradient, long count, IMaskKernels kernels, float? floor =
        null)
    {
        if (count <= 0) return 0;
        var mask = TensorArrays.Read(layer.weight_mask);
        var weight = TensorArrays.Read(layer.weight_orig);
        var scores = new float[mask.Length];
        kernels.DormantGradientScores(TensorArrays.Read(meanGradient), mask, scores);
        return Masks.MaskUpdate.Apply(layer, scores, mask, weight, count, grow: true, kernels, floor);
    }
}
