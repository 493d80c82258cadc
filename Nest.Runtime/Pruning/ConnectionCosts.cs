using Nest.Runtime.Growth;

namespace Nest.Runtime.Pruning;

/// <summary>What each connection of a convolution costs per example, for the variational step's cost factor.</summary>
public static class ConnectionCosts
{
    /// <summary>Multiply-accumulates per example of each weight of a convolution: the live area positions
    /// of its (output map, input map) pair, or every output position without an area mask.</summary>
    public static float[] Of(MaskedConv2d layer, LayerDescription description)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var positions = (float)description.OutputShape[1] * description.OutputShape[2];
        var costs = layer.area_mask is { } area
            ? area.sum(new long[] { 2, 3 }, keepdim: true).expand_as(layer.weight_mask).contiguous()
            : TorchSharp.torch.full_like(layer.weight_mask, positions);
        return TensorArrays.Read(costs);
    }
}
