namespace Nest.Runtime.Training;

/// <summary>Parameters and FLOPs of a network as it is now: live connections only.</summary>
public sealed record NetworkCost(long Connections, long Parameters, long Flops, IReadOnlyList<LayerCost> Layers)
{
    /// <summary>
    /// Counts live weights plus biases (parameters) and 2 x live multiply-accumulates (FLOPs), the
    /// paper's measures; a convolution's connections count once per output position, and with
    /// partial-area convolution once per live area position of their (output map, input map) pair.
    /// </summary>
    public static NetworkCost Measure(ISeedNetwork network)
    {
        var layers = new List<LayerCost>();
        foreach (var description in network.Topology.Layers.Where(l => l.HasWeights))
        {
            var layer = network.MaskedLayerAt(description.Index)!;
            var live = layer.LiveConnections;
            var positions =
                description.Kind == LayerKind.Conv2d ? (long)description.OutputShape[1] * description.OutputShape[2]
                    : 1;
            var biases = layer.bias?.numel() ?? 0;
            var conv = layer as MaskedConv2d;
            var multiplyAccumulates = conv is null ? live * positions : conv.MultiplyAccumulates(positions);
            double? areaDensity = conv?.area_mask is { } area ? area.mean().item<float>() : null;
            layers.Add(
                new LayerCost(description.Name, layer.weight_orig.shape, live, (double)live / layer.Capacity,
                live + biases, 2 * multiplyAccumulates, areaDensity));
        }
        return new NetworkCost(layers.Sum(l => l.Connections), layers.Sum(l => l.Parameters), layers.Sum(l => l.Flops),
            layers);
    }
}

/// <summary>One layer's live connections, density, parameters and FLOPs; <see cref="Shape"/> is its weight's; <see
/// cref="AreaDensity"/> is the live fraction of a partial-area convolution's area mask (null without one).</summary>
public sealed record LayerCost(string Name, long[] Shape, long Connections, double Density, long Parameters, long Flops,
    double? AreaDensity = null);
