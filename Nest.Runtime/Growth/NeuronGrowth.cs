using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>
/// Gradient-based neuron growth (NeST) for hidden dense layers. For layer l between its input x and
/// the next layer's pre-activation u, G(m, n) = mean over a batch of dL/du_m x x_n is the gradient of
/// a direct connection n -> m. Each new neuron takes the pairs with |G| in the top-beta fraction of one
/// batch (a different batch per neuron, so new neurons differ), gets fan-in sqrt|G| from each n and
/// fan-out sqrt|G| to each m with the sign that makes the path's product -G (it descends the loss,
/// assuming a ReLU that passes the positive pre-activation), and is rescaled so that its weights'
/// mean magnitude is the birth strength alpha times the layer's mean live magnitude.
/// </summary>
public sealed class NeuronGrowth : IGrowthPolicy
{
    /// <inheritdoc />
    public string Name => "neurons";

    /// <inheritdoc />
    public GrowthOutcome Grow(GrowthContext context)
    {
        var network = context.Network;
        var s = context.Options;
        long connections = 0;
        int neurons = 0;
        foreach (var description in network.Topology.Layers)
        {
            if (description.Kind != LayerKind.Dense || description.IsOutput || description.Consumer < 0) continue;
            var consumer = network.Topology.Layers[description.Consumer];
            if (consumer.Kind != LayerKind.Dense) continue;
            var layer = network.MaskedLayerAt(description.Index)!;
            var count = GrowthGuard.UnitsToAdd(description, layer.OutputUnits, s.NeuronRatio);
            for (int i = 0; i < count; i++)
            {
                using var g = BatchCorrelation(context, description.Index, consumer.Index);
                connections += AddNeuron(network, description.Index, consumer.Index, g, s.NeuronBeta, s.BirthStrength,
                    context.Kernels);
                neurons++;
            }
        }
        return new GrowthOutcome(connections, neurons);
    }

    /// <summary>G = (dL/du of the consumer)^T x (input of the layer) / batch, over one batch: [consumer outputs, layer
    /// inputs].</summary>
    static Tensor BatchCorrelation(GrowthContext context, int layer, int consumer)
    {
        Tensor? g = null;
        GrowthGradients.Run(context.Network, context.Data, 1, context.BatchSize, context.Generator, captures =>
        {
            var du = captures[consumer].Output.grad!;
            var x = captures[layer].Input;
            g = du.t().mm(x.flatten(1)).div_(du.shape[0]).detach().MoveToOuterDisposeScope();
        });
        return g!;
    }

    /// <summary>Adds one neuron to <paramref name="layerIndex"/> wired by <paramref name="g"/>; returns its
    /// connections. With <paramref name="birthStrength"/> 0 the weights stay sqrt|G| unscaled.</summary>
    public static long AddNeuron(ISeedNetwork network, int layerIndex, int consumerIndex, Tensor g, double beta,
        double birthStrength,
        Kernels.IMaskKernels kernels)
    {
        using var scope = NewDisposeScope();
        var magnitude = g.abs();
        var scores = TensorArrays.Read(magnitude);
        var k = Math.Max(1, (long)Math.Round(beta * scores.LongLength, MidpointRounding.AwayFromZero));
        var threshold = kernels.KthLargest(scores, k);
        if (threshold <= 0) return 0;   // no gradient signal: a neuron here would be dead weight
        var selected = magnitude.AtLeast(threshold);
        var picked = magnitude * selected;
        var fanIn = picked.amax(0).sqrt();                                   // [layer inputs]
        var outMagnitude = picked.amax(1).sqrt();                            // [consumer outputs]
        var outSign = -(g * selected).sum(1).sign();
        var fanOut = outMagnitude * outSign;

        var layer = network.MaskedLayerAt(layerIndex)!;
        var consumer = network.MaskedLayerAt(consumerIndex)!;
        if (birthStrength > 0)
        {
            fanIn = Rescale(fanIn, layer, birthStrength);
            fanOut = Rescale(fanOut, consumer, birthStrength);
        }
        network.AddUnits(layerIndex, 1);
        var row = layer.OutputUnits - 1;
        using (no_grad())
        {
            var inMask = fanIn.ne(Scalars.Zero).to_type(ScalarType.Float32);
            layer.weight_orig.select(0, row).copy_(fanIn);
            layer.weight_mask.select(0, row).copy_(inMask);
            var outMask = fanOut.ne(Scalars.Zero).to_type(ScalarType.Float32);
            consumer.weight_orig.select(1, row).copy_(fanOut);
            consumer.weight_mask.select(1, row).copy_(outMask);
            return (long)(inMask.sum().item<float>() + outMask.sum().item<float>());
        }
    }

    /// <summary>Scales the non-zero entries so their mean magnitude is alpha x the layer's mean live
    /// magnitude.</summary>
    static Tensor Rescale(Tensor values, MaskedLayer layer, double alpha)
    {
        var nonZero = values.ne(Scalars.Zero);
        var count = nonZero.sum().item<long>();
        if (count == 0) return values;
        var mean = values.abs().sum().item<float>() / count;
        var live = layer.weight_mask.sum().item<float>();
        var layerMean = live > 0 ? (layer.weight_orig.abs() * layer.weight_mask).sum().item<float>() / live : 0f;
        return layerMean > 0 && mean > 0 ? values.Times(alpha * layerMean / mean) : values;
    }
}
