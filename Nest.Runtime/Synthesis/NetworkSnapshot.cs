using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary> A copy of every masked layer's weights, masks (area masks too) and biases, to return to the best network
/// found while pruning, or to where a training or a check started. Shapes must not change between taking and
/// restoring: a pruning step only masks, and units are removed physically only between a kept step and the next
/// snapshot. </summary>
public sealed class NetworkSnapshot : IDisposable
{
    readonly List<(MaskedLayer Layer, Tensor Weight, Tensor Mask, Tensor? Bias, Tensor? Area,
        bool AreaPerPair)> _copies = new();

    /// <summary>Copies the network's masked layers now.</summary>
    public NetworkSnapshot(ISeedNetwork network)
    {
        foreach (var description in network.Topology.Layers.Where(l => l.HasWeights))
        {
            var layer = network.MaskedLayerAt(description.Index)!;
            _copies.Add(
                (layer, layer.weight_orig.detach().clone().DetachFromDisposeScope(),
                layer.weight_mask.clone().DetachFromDisposeScope(),
                layer.bias?.detach().clone().DetachFromDisposeScope(),
                    (layer as MaskedConv2d)?.area_mask?.clone().DetachFromDisposeScope(),
                    (layer as MaskedConv2d)?.AreaMaskPerPair ?? false));
        }
    }

    /// <summary>Writes the copies back.</summary>
    /// <exception cref="InvalidOperationException">A layer changed shape since the snapshot.</exception>
    public void Restore()
    {
        using var _ = no_grad();
        foreach (var (layer, weight, mask, bias, area, perPair) in _copies)
        {
            if (!layer.weight_orig.shape.SequenceEqual(weight.shape))
                throw new InvalidOperationException($"Layer '{layer.GetName()}' is {string.Join('x', layer.weight_orig.shape)}, not {string.Join('x', weight.shape)} as in the snapshot.");
            layer.weight_orig.copy_(weight);
            layer.weight_mask.copy_(mask);
            if (bias is not null) layer.bias!.copy_(bias);
            if (layer is MaskedConv2d conv) conv.SetAreaMask(area, perPair);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, weight, mask, bias, area, _) in _copies)
        {
            weight.Dispose();
            mask.Dispose();
            bias?.Dispose();
            area?.Dispose();
        }
    }
}
