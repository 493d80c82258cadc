using Nest.Dsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nest.Runtime.Export;

/// <summary>
/// A <see cref="CompactModel"/> as a plain TorchSharp module (dense tensors, no masks): the compact network for
/// inference in TorchSharp, and what is saved as TorchSharp weights (<c>save</c>) and as a PyTorch state_dict
/// (TorchSharp.PyBridge's <c>save_py</c>). Its state_dict names are <c>{layer}.weight</c>, <c>{layer}.bias</c>,
/// <c>{layer}.input_index</c> (dense, when it reads some columns only) and <c>{layer}.area_mask</c> (convolution).
/// It computes what the ONNX export computes, operation for operation.
/// </summary>
public sealed class CompactNetwork : nn.Module<Tensor, Tensor>
{
    readonly long[] _inputShape;
    readonly List<CompactOperation> _operations = new();

    /// <summary>Builds the module from <paramref name="model"/>.</summary>
    public CompactNetwork(CompactModel model) : base(model.Seed + "Compact")
    {
        _inputShape = model.InputShape.Select(d => (long)d).ToArray();
        // Registered under the layers' names, so the state_dict reads conv1.weight, fc1.input_index, ...
        foreach (var layer in model.Layers)
        {
            var operation = new CompactOperation(layer);
            _operations.Add(operation);
            register_module(layer.Name, operation);
        }
        eval();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input.reshape([-1, .. _inputShape]);
        foreach (var operation in _operations) x = operation.forward(x);
        return x;
    }
}

/// <summary>One operation of a <see cref="CompactNetwork"/>, named after its layer.</summary>
public sealed class CompactOperation : nn.Module<Tensor, Tensor>
{
    readonly CompactLayer _layer;
#pragma warning disable IDE0052   // registered as components by name
    readonly Parameter? weight, bias;
    readonly Tensor? input_index, area_mask;
#pragma warning restore IDE0052

    /// <summary>The operation of <paramref name="layer"/>.</summary>
    public CompactOperation(CompactLayer layer) : base(layer.Name)
    {
        _layer = layer;
        if (layer.Weight is not null)
            weight = new Parameter(tensor(layer.Weight, layer.WeightShape!), requires_grad: false);
        if (layer.Bias is not null)
            bias = new Parameter(tensor(layer.Bias, new long[] { layer.Bias.Length }), requires_grad: false);
        if (layer.InputIndex is not null) input_index = tensor(layer.InputIndex);
        if (layer.Area is not null) area_mask = tensor(layer.Area, layer.AreaShape!);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var _ = no_grad();
        var y = _layer.Kind switch
        {
            LayerKind.Dense =>
                nn.functional.linear(input_index is null ? x : x.index_select(1, input_index), weight!, bias),
            LayerKind.Conv2d => Convolve(x),
            LayerKind.MaxPool2d => nn.functional.max_pool2d(x, _layer.Kernel, _layer.Stride),
            LayerKind.Flatten => x.flatten(1),
            _ => x,
        };
        return _layer.Activation switch
        {
            Activation.Relu => nn.functional.relu(y),
            Activation.Tanh => y.tanh(),
            Activation.Sigmoid => y.sigmoid(),
            Activation.LeakyRelu => nn.functional.leaky_relu(y, 0.01),
            _ => y,
        };
    }

    Tensor Convolve(Tensor x)
    {
        long[] strides = [_layer.Stride, _layer.Stride], padding = [_layer.Padding, _layer.Padding];
        if (area_mask is null) return nn.functional.conv2d(x, weight!, bias, strides: strides, padding: padding);
        Tensor y;
        if (area_mask.shape[1] == 1)
            y = nn.functional.conv2d(x, weight!, null, strides: strides, padding: padding) * area_mask.squeeze(1);
        else
        {
            // Per pair, as the ONNX graph: one convolution per input map, each times its plane of the mask.
            y = zeros(1);
            for (long i = 0; i < area_mask.shape[1]; i++)
                y = y + nn.functional.conv2d(x.narrow(1, i, 1), weight!.narrow(1, i, 1), null, strides: strides,
                    padding: padding) * area_mask.select(1, i);
        }
        return bias is null ? y : y + bias.reshape(1, -1, 1, 1);
    }
}
