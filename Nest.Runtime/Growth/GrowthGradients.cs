using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>
/// Runs batches of training data through the network with gradient capture on and hands each batch's
/// captures to a consumer, inside that batch's dispose scope. Nothing is updated: this only measures.
/// </summary>
public static class GrowthGradients
{
    /// <summary>The mean gradient dL/dW of every masked layer's full (effective) weight over
    /// <paramref name="batches"/> batches, dormant positions included, keyed by layer index.</summary>
    public static Dictionary<int,
        Tensor> MeanWeightGradients(ISeedNetwork network, ImageDataset data, int batches, int batchSize,
        Generator generator)
    {
        var layers = MaskedLayers(network);
        var sums = layers.ToDictionary(l => l.Index, l => zeros_like(l.Layer.weight_orig).DetachFromDisposeScope());
        var count = Run(network, data, batches, batchSize, generator, captures =>
        {
            using var _ = no_grad();
            foreach (var (index, capture) in captures)
            {
                sums[index].add_(capture.EffectiveWeight.grad!);
            }
        });
        foreach (var sum in sums.Values) sum.div_(Math.Max(1, count));
        return sums;
    }

    /// <summary>Runs forward and backward passes with capture on and calls <paramref name="consume"/> per batch;
    /// with <paramref name="backward"/> false, forward passes only (for consumers that read inputs alone).
    /// The passes run in training mode unless <paramref name="keepMode"/> leaves the module's mode as it is.
    /// Returns the number of batches run.</summary>
    public static int Run(ISeedNetwork network, ImageDataset data, int batches, int batchSize, Generator generator,
        Action<IReadOnlyDictionary<int, GradientCapture>> consume, bool backward = true, bool keepMode = false)
    {
        var module = (nn.Module<Tensor, Tensor>)network;
        var layers = MaskedLayers(network);
        foreach (var (_, layer) in layers) layer.CaptureGradients = true;
        var wasTraining = module.training;
        if (!keepMode) module.train();
        var device = ComputeDevices.Of(module);
        try
        {
            using var order = randperm(data.Count, generator: generator);
            var run = 0;
            for (int b = 0; b < batches && b * batchSize < data.Count; b++, run++)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, b * batchSize, Math.Min(batchSize, data.Count - b * batchSize));
                module.zero_grad();
                var (images, labels) = data.Rows(index, device);
                var output = module.forward(images);
                if (backward) nn.functional.cross_entropy(output, labels).backward();
                consume(layers.ToDictionary(l => l.Index, l => l.Layer.LastCapture!));
            }
            return run;
        }
        finally
        {
            foreach (var (_, layer) in layers)
            {
                layer.CaptureGradients = false;
                layer.ClearCapture();
            }
            module.zero_grad();
            if (!wasTraining) module.eval();
        }
    }

    /// <summary>The masked layers with their topology index, in order.</summary>
    public static List<(int Index, MaskedLayer Layer)> MaskedLayers(ISeedNetwork network) =>
        network.Topology.Layers.Where(l => l.HasWeights).Select(l =>
            (l.Index, network.MaskedLayerAt(l.Index)!)).ToList();
}
