using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;

namespace Nest.Runtime.Masks;

/// <summary>
/// The one mask update that growth and pruning policies share (as RigL's updaters do): the policy
/// supplies scores (higher = more deserving of the change, -infinity = not a candidate), the update
/// selects the k best by threshold through the kernels and applies it to the layer. Grown and
/// pruned weights are both set to zero, so a grown connection starts without effect and a pruned
/// one leaves none behind; the trainer's fresh optimizer starts their state at zero.
/// </summary>
public static class MaskUpdate
{
    /// <summary>Switches on (<paramref name="grow"/>) or off the candidates scoring at least the k-th best
    /// score, and at least <paramref name="floor"/> when given. Returns how many changed.</summary>
    public static long Apply(MaskedLayer layer, float[] scores, float[] mask, float[] weight, long k, bool grow,
        IMaskKernels kernels, float? floor = null)
    {
        if (k <= 0) return 0;
        var threshold = kernels.KthLargest(scores, k);
        if (floor is { } f && f > threshold) threshold = f;
        var changed =
            grow ? kernels.Grow(scores, threshold, mask, weight) : kernels.Prune(scores, threshold, mask, weight);
        TensorArrays.Write(layer.weight_mask, mask);
        TensorArrays.Write(layer.weight_orig, weight);
        return changed;
    }
}
