using Nest.Dsl;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Folds connections that read a constant into the reading layer's bias, then removes them: an exact
/// change of the network's function that lowers its parameters and FLOPs.
/// </summary>
/// <remarks>
/// An output of a layer is constant when no live connection reaches it: a neuron or feature map with
/// no live inputs, or, under partial-area convolution, an area position masked for every live (map,
/// input map) pair; it then equals act(bias). Max pooling keeps a window constant when all of it is.
/// A dense consumer's weight w on such an input adds w x act(bias) to its pre-activation whatever the
/// image, so that amount moves into its bias and the weight goes. On LeNet-5 the partial areas of the
/// second convolution leave whole pooled positions masked, and the first dense layer's weights on
/// them are this case. A convolution consumer folds only an input map that is constant everywhere
/// (no padding, no area mask of its own), and a dropout in between stops folding (during training it
/// makes a constant random).
/// </remarks>
public sealed class ConstantInputFolding : IPruningPolicy
{
    /// <inheritdoc />
    public string Name => "constant inputs";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, Kernels.IMaskKernels kernels)
    {
        long removed = 0;
        var layers = network.Topology.Layers;
        foreach (var description in layers)
        {
            if (!description.HasWeights || description.IsOutput || description.Consumer < 0) continue;
            var between = layers.Where(l => l.Index > description.Index && l.Index < description.Consumer).ToList();
            if (between.Any(l => l.Kind == LayerKind.Dropout && l.DropProbability > 0)) continue;
            var producer = network.MaskedLayerAt(description.Index)!;
            var consumer = network.MaskedLayerAt(description.Consumer)!;
            if (consumer.bias is null) continue;
            removed += Fold(producer, description, between, consumer, layers[description.Consumer]);
        }
        return new PruningOutcome(removed, 0);
    }

    static long Fold(MaskedLayer producer, LayerDescription description, List<LayerDescription> between,
        MaskedLayer consumer, LayerDescription consumerDescription)
    {
        using var scope = NewDisposeScope();
        var (constant, value) = ConstantOutputs(producer, description);   // [U, H, W] or [U]
        foreach (var pool in between.Where(l => l.Kind == LayerKind.MaxPool2d))
        {
            // A pooled position is constant when its whole window is: min-pool of the indicator.
            var varying = constant.to_type(ScalarType.Float32).unsqueeze(0).neg().add_(Scalars.One);
            constant = nn.functional.max_pool2d(varying, new long[] { pool.Kernel, pool.Kernel },
                new long[] { Stride(pool), Stride(pool) }).squeeze(0).eq(Scalars.Zero);
        }

        using var _ = no_grad();
        var mask = consumer.weight_mask;
        var weight = consumer.weight_orig;
        Tensor columns, contribution;
        if (consumerDescription.Kind == LayerKind.Dense)
        {
            // Each unit feeds its H x W block of columns (through a flatten) or one column.
            var units = constant.shape[0];
            var perColumn = constant.reshape(units, -1);
            if (perColumn.shape[1] * units != mask.shape[1]) return 0;
            columns = perColumn.reshape(-1);
            var values = value.reshape(units, 1).expand(units, perColumn.shape[1]).reshape(-1);
            var live = mask * columns.to_type(ScalarType.Float32).unsqueeze(0);
            contribution = (weight * live).matmul(values);
        }
        else
        {
            var conv = (MaskedConv2d)consumer;
            if (conv.Padding != 0 || conv.area_mask is not null || constant.dim() != 3) return 0;
            columns = constant.all(1).all(1);                                              // whole input maps
            var live = mask * columns.to_type(ScalarType.Float32).reshape(1, -1, 1, 1);
            contribution = (weight * live).sum(new long[] { 2, 3 }).matmul(value);
        }
        var before = consumer.LiveConnections;
        consumer.bias!.add_(contribution);
        var shape = consumerDescription.Kind == LayerKind.Dense ? new long[] { 1, -1 } : new long[] { 1, -1, 1, 1 };
        var keep = columns.logical_not().to_type(ScalarType.Float32).reshape(shape);
        mask.mul_(keep);
        weight.mul_(keep);
        return before - consumer.LiveConnections;
    }

    /// <summary>Which outputs of the layer are constant ([units, H, W] for a convolution, [units] for a
    /// dense layer), and each unit's constant value act(bias).</summary>
    static (Tensor Constant, Tensor Value) ConstantOutputs(MaskedLayer layer, LayerDescription description)
    {
        var units = layer.OutputUnits;
        var fanIn = layer.weight_mask.reshape(units, -1).sum(1);
        var bias = layer.bias is null ? zeros(units, device: fanIn.device) : layer.bias.detach();
        var value = Activate(bias, description.Activation);
        if (layer is not MaskedConv2d conv)
            return (fanIn.eq(Scalars.Zero), value);
        long height = description.OutputShape[1], width = description.OutputShape[2];
        if (conv.area_mask is not { } area)
            return (fanIn.eq(Scalars.Zero).reshape(units, 1, 1).expand(units, height, width), value);
        // Live contributions at each position: pairs with live weights whose area is live there.
        return ((area * conv.LiveAreaPairs()).sum(1).eq(Scalars.Zero), value);
    }

    static long Stride(LayerDescription pool) => pool.Stride == 0 ? pool.Kernel : pool.Stride;

    static Tensor Activate(Tensor x, Activation activation) => activation switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, 0.01),
        Activation.Tanh => x.tanh(),
        Activation.Sigmoid => x.sigmoid(),
        _ => x.clone(),
    };
}
