using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Cuts off the hidden neurons and feature maps whose output magnitude over the data is at or below
/// <see cref="Threshold"/> x the mean of their layer's units: a ReLU unit that no image switches on
/// (after pruning took its inputs, many are) still holds connections, counted in parameters, while
/// adding nothing. The magnitude is what the consumer sees (after activation and pooling), |output|
/// averaged over images and positions, on <c>batches</c> training batches without augmentation.
/// Every connection into and out of such a unit is masked, so the step can be undone like any other
/// pruning step (shapes do not change); <see cref="DeadNeuronPruning"/> then removes the unit
/// physically at the end. Not exact (a unit that fires only on images outside the sample is lost):
/// the synthesizer runs it inside pruning steps, whose retraining and validation check catch harm.
/// </summary>
public sealed class WeakNeuronPruning(double threshold, ImageDataset data, Generator generator, int batches = 8, int batchSize = 256) : IPruningPolicy
{
    /// <summary>The magnitude, relative to the layer's mean unit, at or below which a unit goes.</summary>
    public double Threshold { get; } = threshold is >= 0 and < 1 ? threshold : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be in [0, 1)");

    /// <inheritdoc />
    public string Name => "weak neurons";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, Kernels.IMaskKernels kernels)
    {
        var magnitudes = OutputMagnitudes(network, data, batches, batchSize, generator);
        long connections = 0;
        int neurons = 0;
        foreach (var (index, magnitude) in magnitudes)
        {
            var layer = network.MaskedLayerAt(index)!;
            var consumer = network.MaskedLayerAt(network.Topology.Layers[index].Consumer)!;
            // Units already cut off (no live output) are not weak, just dead: leave them out.
            var live = LiveUnits(layer, consumer);
            var weak = WeakUnits(magnitude, Threshold, live);
            if (weak.Length == 0 || weak.Length >= live.Count(l => l)) continue;   // a layer cannot be emptied
            connections += CutOff(layer, consumer, weak);
            neurons += weak.Length;
        }
        return new PruningOutcome(connections, neurons);
    }

    /// <summary>Masks every connection into and out of <paramref name="units"/>; returns how many were live.</summary>
    public static long CutOff(MaskedLayer layer, MaskedLayer consumer, long[] units)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var before = layer.LiveConnections + consumer.LiveConnections;
        var index = tensor(units);
        var outputs = layer.OutputUnits;
        // Rows of the producer; input units (a column, a flatten block, an input channel) of the consumer.
        foreach (var t in new[] { layer.weight_mask, layer.weight_orig })
            t.view(outputs, -1).index_fill_(0, index, 0);
        foreach (var t in new[] { consumer.weight_mask, consumer.weight_orig })
            t.view(t.shape[0], outputs, -1).index_fill_(1, index, 0);
        return before - layer.LiveConnections - consumer.LiveConnections;
    }

    static bool[] LiveUnits(MaskedLayer layer, MaskedLayer consumer)
    {
        using var scope = NewDisposeScope();
        return DeadNeuronPruning.FanOut(layer, consumer).gt(0).data<bool>().ToArray();
    }

    /// <summary>The live units whose magnitude is at or below <paramref name="threshold"/> x the mean
    /// magnitude of the live units.</summary>
    public static long[] WeakUnits(float[] magnitude, double threshold, bool[]? live = null)
    {
        var units = Enumerable.Range(0, magnitude.Length).Where(u => live is null || live[u]).ToList();
        if (units.Count == 0) return Array.Empty<long>();
        var limit = threshold * units.Average(u => magnitude[u]);
        return units.Where(u => magnitude[u] <= limit).Select(u => (long)u).ToArray();
    }

    /// <summary>Mean |output| of each unit of every hidden masked layer (keyed by layer index), as its
    /// consumer receives it: a column of a dense consumer, a block of columns behind a flatten, or an
    /// input channel of a convolution.</summary>
    public static Dictionary<int, float[]> OutputMagnitudes(ISeedNetwork network, ImageDataset data, int batches, int batchSize, Generator generator)
    {
        var producers = network.Topology.Layers
            .Where(l => l.HasWeights && !l.IsOutput && l.Consumer >= 0)
            .ToDictionary(l => l.Consumer, l => (Producer: l.Index, Units: network.MaskedLayerAt(l.Index)!.OutputUnits));
        var sums = producers.Values.ToDictionary(p => p.Producer, p => new double[p.Units]);
        var module = (nn.Module<Tensor, Tensor>)network;
        var wasTraining = module.training;
        int run;
        try
        {
            // Evaluation mode: dropout, where a seed has it, would scale the magnitudes at random.
            module.eval();
            run = GrowthGradients.Run(network, data, batches, batchSize, generator, captures =>
            {
                foreach (var (consumer, capture) in captures)
                {
                    if (!producers.TryGetValue(consumer, out var p)) continue;
                    var input = capture.Input.detach();
                    var perUnit = input.reshape(input.shape[0], p.Units, -1).abs().mean(new long[] { 0, 2 }).data<float>().ToArray();
                    var sum = sums[p.Producer];
                    for (int u = 0; u < sum.Length; u++) sum[u] += perUnit[u];
                }
            }, backward: false, keepMode: true);
        }
        finally
        {
            if (wasTraining) module.train();
        }
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => (float)(v / Math.Max(1, run))).ToArray());
    }
}
