using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>
/// Feature-map growth (NeST) for hidden convolutions: draw several candidate sets of new feature maps
/// (random kernels over every input map, random connections into the consumer at its current
/// density, magnitudes at the birth strength times the layer's mean live magnitude), measure the loss
/// with each set in place on the same batches, and keep the set that lowers it most.
/// </summary>
public sealed class FeatureMapGrowth : IGrowthPolicy
{
    /// <summary>Candidate sets drawn per layer and step.</summary>
    public int Candidates { get; init; } = 4;

    /// <summary>Batches the loss of each candidate is measured on.</summary>
    public int LossBatches { get; init; } = 4;

    /// <inheritdoc />
    public string Name => "feature maps";

    /// <inheritdoc />
    public GrowthOutcome Grow(GrowthContext context)
    {
        var network = context.Network;
        var s = context.Options;
        long connections = 0;
        int maps = 0;
        foreach (var description in network.Topology.Layers)
        {
            if (description.Kind != LayerKind.Conv2d || description.IsOutput || description.Consumer < 0) continue;
            var layer = network.MaskedLayerAt(description.Index)!;
            var count = GrowthGuard.UnitsToAdd(description, layer.OutputUnits, s.NeuronRatio);
            if (count <= 0) continue;
            connections += GrowLayer(context, description.Index, description.Consumer, count);
            maps += count;
        }
        return new GrowthOutcome(connections, maps);
    }

    /// <summary>Grows one hidden convolution by <paramref name="count"/> maps if a candidate set lowers the loss;
    /// returns the connections added (0 when no candidate helped and nothing changed).</summary>
    public long GrowOnce(GrowthContext context, int layerIndex, int count)
    {
        var description = context.Network.Topology.Layers[layerIndex];
        return GrowLayer(context, layerIndex, description.Consumer, count);
    }

    long GrowLayer(GrowthContext context, int layerIndex, int consumerIndex, int count)
    {
        var network = context.Network;
        var module = (nn.Module<Tensor, Tensor>)network;
        var layer = network.MaskedLayerAt(layerIndex)!;
        var consumer = network.MaskedLayerAt(consumerIndex)!;
        var device = ComputeDevices.Of(module);
        var batches = Batches(context.Data, LossBatches, context.BatchSize, context.Generator, device);
        try
        {
            var first = layer.OutputUnits;
            var before = Loss(module, batches);
            (Tensor In, Tensor Out, Tensor OutMask)? best = null;
            var bestLoss = double.PositiveInfinity;
            for (int c = 0; c < Candidates; c++)
            {
                var candidate = Draw(layer, consumer, count, context.Options.BirthStrength, context.Generator);
                network.AddUnits(layerIndex, count);
                Place(layer, consumer, first, count, candidate);
                var loss = Loss(module, batches);
                network.RemoveUnits(layerIndex, Enumerable.Range((int)first, count).Select(i => (long)i).ToArray());
                if (loss < bestLoss)
                {
                    best?.In.Dispose(); best?.Out.Dispose(); best?.OutMask.Dispose();
                    best = candidate;
                    bestLoss = loss;
                }
                else
                {
                    candidate.In.Dispose(); candidate.Out.Dispose(); candidate.OutMask.Dispose();
                }
            }
            // No candidate lowered the loss: growing one anyway would only add noise.
            if (best is not { } chosen || bestLoss >= before) return 0;
            var live = layer.LiveConnections + consumer.LiveConnections;
            network.AddUnits(layerIndex, count);
            Place(layer, consumer, first, count, chosen);
            chosen.In.Dispose(); chosen.Out.Dispose(); chosen.OutMask.Dispose();
            return layer.LiveConnections + consumer.LiveConnections - live;
        }
        finally
        {
            foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }
        }
    }

    /// <summary>Random kernels for the new maps and random consumer connections at the consumer's density.</summary>
    static (Tensor In, Tensor Out, Tensor OutMask) Draw(MaskedLayer layer, MaskedLayer consumer, int count,
        double alpha, Generator generator)
    {
        using var scope = NewDisposeScope();
        var inShape = (long[])layer.weight_orig.shape.Clone();
        inShape[0] = count;
        var outShape = (long[])consumer.weight_orig.shape.Clone();
        var perUnit = consumer.InputUnits / layer.OutputUnits;   // H x W behind a flatten, else 1
        outShape[1] = count * perUnit;
        var inScale = alpha * MeanLive(layer);
        var outScale = alpha * MeanLive(consumer);
        var density = consumer.LiveConnections / (double)consumer.Capacity;
        // U(-2a, 2a): its mean |u| is a, alpha times the live weights' mean magnitude.
        var kernels = rand(inShape, generator: generator).Symmetric().Times(inScale * 2);
        var outMask = rand(outShape, generator: generator).Below(density).to_type(ScalarType.Float32);
        var fanOut = rand(outShape, generator: generator).Symmetric().Times(outScale * 2) * outMask;
        return (kernels.MoveToOuterDisposeScope(), fanOut.MoveToOuterDisposeScope(), outMask.MoveToOuterDisposeScope());
    }

    static void Place(MaskedLayer layer, MaskedLayer consumer, long first, int count,
        (Tensor In, Tensor Out, Tensor OutMask) c)
    {
        using var _ = no_grad();
        var perUnit = consumer.InputUnits / layer.OutputUnits;
        layer.weight_orig.narrow(0, first, count).copy_(c.In);
        layer.weight_mask.narrow(0, first, count).fill_(Scalars.One);
        consumer.weight_orig.narrow(1, first * perUnit, count * perUnit).copy_(c.Out);
        consumer.weight_mask.narrow(1, first * perUnit, count * perUnit).copy_(c.OutMask);
    }

    static double MeanLive(MaskedLayer layer)
    {
        var live = layer.weight_mask.sum().item<float>();
        return live > 0 ? (layer.weight_orig.abs() * layer.weight_mask).sum().item<float>() / live : 0.01;
    }

    static List<(Tensor, Tensor)> Batches(ImageDataset data, int batches, int batchSize, Generator generator,
        Device device)
    {
        using var order = randperm(data.Count, generator: generator);
        var result = new List<(Tensor, Tensor)>();
        for (int b = 0; b < batches && b * batchSize < data.Count; b++)
        {
            using var index = order.narrow(0, b * batchSize, Math.Min(batchSize, data.Count - b * batchSize));
            var (images, labels) = data.Rows(index, device);
            result.Add((images.DetachFromDisposeScope(), labels.DetachFromDisposeScope()));
        }
        return result;
    }

    static double Loss(nn.Module<Tensor, Tensor> module, List<(Tensor X, Tensor Y)> batches)
    {
        using var _ = no_grad();
        var wasTraining = module.training;
        module.eval();
        double total = 0;
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            total += nn.functional.cross_entropy(module.forward(x), y).item<float>();
        }
        if (wasTraining) module.train();
        return total / Math.Max(1, batches.Count);
    }
}
