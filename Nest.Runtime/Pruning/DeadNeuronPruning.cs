using Nest.Runtime.Growth;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Removes, physically and through the generated growth hooks, the hidden neurons and feature maps
/// that can no longer matter: a unit with no live outputs affects nothing; one with no live inputs
/// and a zero bias outputs a constant zero. (A unit with no inputs but a bias is a constant the
/// consumer still sees, so it stays.) The connections such a unit still had go with it.
/// </summary>
public sealed class DeadNeuronPruning : IPruningPolicy
{
    /// <inheritdoc />
    public string Name => "dead neurons";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, Kernels.IMaskKernels kernels)
    {
        long connections = 0;
        int neurons = 0;
        foreach (var description in network.Topology.Layers)
        {
            if (!description.HasWeights || description.IsOutput || description.Consumer < 0) continue;
            var layer = network.MaskedLayerAt(description.Index)!;
            var consumer = network.MaskedLayerAt(description.Consumer)!;
            var dead = DeadUnits(layer, consumer);
            if (dead.Length == 0) continue;
            if (dead.Length >= layer.OutputUnits) dead = dead[..^1];   // keep one unit: a layer cannot be empty
            if (dead.Length == 0) continue;
            var before = layer.LiveConnections + consumer.LiveConnections;
            network.RemoveUnits(description.Index, dead);
            connections += before - layer.LiveConnections - consumer.LiveConnections;
            neurons += dead.Length;
        }
        return new PruningOutcome(connections, neurons);
    }

    /// <summary>Units with no live output, or with no live input and a zero bias.</summary>
    public static long[] DeadUnits(MaskedLayer layer, MaskedLayer consumer)
    {
        using var scope = NewDisposeScope();
        var units = layer.OutputUnits;
        var fanIn = layer.weight_mask.reshape(units, -1).sum(1);
        var fanOut = FanOut(layer, consumer);
        var bias = layer.bias is null ? zeros(units, device: fanIn.device) : layer.bias.detach().abs();
        var dead = fanOut.eq(Scalars.Zero).logical_or(fanIn.eq(Scalars.Zero).logical_and(bias.eq(Scalars.Zero)));
        return dead.nonzero().flatten().to(CPU).data<long>().ToArray();
    }

    /// <summary>Live connections out of each unit of <paramref name="layer"/>: its inputs in the consumer are
    /// a column of a dense consumer, a block of H x W columns behind a flatten, or an input channel of a
    /// convolution.</summary>
    public static Tensor FanOut(MaskedLayer layer, MaskedLayer consumer)
    {
        var mask = consumer.weight_mask;
        return mask.reshape(mask.shape[0], layer.OutputUnits, -1).sum(new long[] { 0, 2 });
    }
}
