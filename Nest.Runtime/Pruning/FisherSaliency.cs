using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// A drop score beside magnitude: the diagonal of the empirical Fisher information, F = mean of
/// (dL/dw)^2 over a few small training batches, per weight. Optimal Brain Damage estimates the loss a
/// removed weight costs as w^2 F / 2, which ranks as |w| sqrt(F): <see cref="MagnitudePruning"/> scales
/// each live weight's magnitude by sqrt(F) when given these factors. A large weight that no image
/// uses (it reads an input that is almost always zero, or feeds a unit that almost never fires)
/// scores low and goes before a smaller weight the loss depends on.
/// </summary>
/// <remarks>Squared batch gradients approximate the per-example Fisher up to a factor (the batch size)
/// that is the same for every weight, so the ranking holds; small batches keep the estimate less noisy
/// than large ones. Plain cross-entropy on undistorted images, the module in training mode.</remarks>
public static class FisherSaliency
{
    /// <summary>sqrt(mean (dL/dw)^2) of every masked layer's effective weight, keyed by layer index,
    /// flattened as the layer's weight.</summary>
    public static Dictionary<int, float[]> Factors(ISeedNetwork network, ImageDataset data, int batches, int batchSize, Generator generator)
    {
        if (batches < 1) throw new ArgumentOutOfRangeException(nameof(batches), batches, "must be positive");
        var fisher = GrowthGradients.MeanWeightGradients(network, data, batches, batchSize, generator, squared: true);
        try
        {
            return fisher.ToDictionary(kv => kv.Key, kv => TensorArrays.Read(kv.Value.sqrt_()));
        }
        finally
        {
            foreach (var f in fisher.Values) f.Dispose();
        }
    }
}
