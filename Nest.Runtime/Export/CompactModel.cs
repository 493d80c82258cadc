using Nest.Dsl;
using static TorchSharp.torch;

namespace Nest.Runtime.Export;

/// <summary> A synthesized network as plain dense operations, for export: each weighted layer's effective weight
/// (<c>weight_orig * weight_mask</c>) at its current width (dead neurons and feature maps were removed physically at
/// the end of synthesis), a dense layer reading only the input columns any live connection reads when that is at most
/// half of them (a gather in front of a smaller matrix), and a convolution's area mask where it masks anything. Pooling
/// and flatten as declared; dropout is left out (identity at inference). </summary>
public sealed class CompactModel
{
    /// <summary>The seed's name.</summary>
    public required string Seed { get; init; }

    /// <summary>One example's input shape, as the network reads it (after the data's scaling).</summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    /// <summary>The operations, in order.</summary>
    public required IReadOnlyList<CompactLayer> Layers { get; init; }

    /// <summary>Multiply-accumulates per example of the dense operations as exported (zeros within a matrix included):
    /// what an inference engine computes, against the live connections that <c>NetworkCost</c> counts.</summary>
    public long DenseMultiplyAccumulates => Layers.Sum(l => l.DenseMultiplyAccumulates);

    /// <summary>Numbers stored: weights (zeros included), biases, input indices and area masks.</summary>
    public long StoredValues =>
        Layers.Sum(l =>
            (l.Weight?.LongLength ?? 0) + (l.Bias?.LongLength ?? 0) + (l.InputIndex?.LongLength
                ?? 0) + (l.Area?.LongLength ?? 0));

    /// <summary>Reads <paramref name="network"/> as it is now.</summary>
    public static CompactModel From(ISeedNetwork network)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var layers = new List<CompactLayer>();
        var shape = network.Topology.InputShape.Select(d => (long)d).ToArray();
        foreach (var d in network.Topology.Layers)
        {
            CompactLayer? layer = d.Kind switch
            {
                LayerKind.Dense => Dense(d, (MaskedLinear)network.MaskedLayerAt(d.Index)!),
                LayerKind.Conv2d => Conv(d, (MaskedConv2d)network.MaskedLayerAt(d.Index)!),
                LayerKind.MaxPool2d =>
                    new CompactLayer { Name = d.ModuleName, Kind = d.Kind, Activation = d.Activation, Kernel = d.Kernel,
                        Stride = d.Stride },
                LayerKind.Flatten => new CompactLayer { Name = d.ModuleName, Kind = d.Kind, Activation = d.Activation },
                _ => null,   // dropout: identity at inference
            };
            if (layer is null) continue;
            layer = layer with { InputShape = shape };
            shape = layer.OutputShape(shape);
            layers.Add(layer);
        }
        return new CompactModel { Seed = network.Topology.Name, InputShape = network.Topology.InputShape, Layers =
            layers };
    }

    static CompactLayer Dense(LayerDescription d, MaskedLinear linear)
    {
        var weight = linear.weight_orig * linear.weight_mask;
        var read = linear.weight_mask.sum(dim: 0).gt(Scalars.Zero).nonzero().flatten();
        long[]? index = null;
        // A gather costs a copy of every column it keeps: measured in ONNX Runtime on the 40.5x LeNet-300-100 (694 of
        // 784 pixels read), batch 256 took 1.8 ms with it against 1.2 ms for the whole dense reference. Only a
        // gather that drops most columns pays.
        if (read.shape[0] * 2 <= linear.InputUnits)
        {
            // A layer that reads nothing keeps one (all-zero) column, so the graph stays well formed.
            if (read.shape[0] == 0) read = zeros(1, dtype: ScalarType.Int64, device: read.device);
            index = read.to(CPU).data<long>().ToArray();
            weight = weight.index_select(1, read);
        }
        return new CompactLayer
        {
            Name = d.ModuleName, Kind = d.Kind, Activation = d.Activation, InputIndex = index,
            Weight = Floats(weight), WeightShape = weight.shape, Bias =
                linear.bias is null ? null : Floats(linear.bias),
        };
    }

    static CompactLayer Conv(LayerDescription d, MaskedConv2d conv)
    {
        var weight = conv.weight_orig * conv.weight_mask;
        var area = conv.area_mask;
        var masks = area is not null && area.min().item<float>() < 1;
        return new CompactLayer
        {
            Name = d.ModuleName, Kind = d.Kind, Activation = d.Activation, Kernel = (int)conv.Kernel, Stride =
                (int)conv.Stride, Padding = (int)conv.Padding,
            Weight = Floats(weight), WeightShape = weight.shape, Bias = conv.bias is null ? null : Floats(conv.bias),
            Area = masks ? Floats(area!) : null, AreaShape = masks ? area!.shape : null,
        };
    }

    static float[] Floats(Tensor t) => t.detach().to(CPU).contiguous().data<float>().ToArray();
}

/// <summary>One operation of a <see cref="CompactModel"/>.</summary>
public sealed record CompactLayer
{
    /// <summary>The module name (<c>fc1</c>), used for the exported tensors' names.</summary>
    public required string Name { get; init; }

    /// <summary>Dense, Conv2d, MaxPool2d or Flatten.</summary>
    public required LayerKind Kind { get; init; }

    /// <summary>The nonlinearity after the operation.</summary>
    public Activation Activation { get; init; } = Activation.None;

    /// <summary>One example's input shape.</summary>
    public long[] InputShape { get; init; } = [];

    /// <summary>Effective weight: dense <c>[out, in]</c> (in: the columns read), convolution <c>[out, in, k,
    /// k]</c>.</summary>
    public float[]? Weight { get; init; }

    /// <summary>The weight's shape.</summary>
    public long[]? WeightShape { get; init; }

    /// <summary>One per output unit, or null.</summary>
    public float[]? Bias { get; init; }

    /// <summary>Dense: the input columns the weight's columns read, in order; null when it reads them all.</summary>
    public long[]? InputIndex { get; init; }

    /// <summary>Convolution: the 0/1 area mask <c>[out, 1, h, w]</c> (per map) or <c>[out, in, h, w]</c> (per pair);
    /// null when none masks.</summary>
    public float[]? Area { get; init; }

    /// <summary>The area mask's shape.</summary>
    public long[]? AreaShape { get; init; }

    /// <summary>Kernel, stride and padding (convolution, pooling).</summary>
    public int Kernel { get; init; }

    /// <inheritdoc cref="Kernel"/>
    public int Stride { get; init; }

    /// <inheritdoc cref="Kernel"/>
    public int Padding { get; init; }

    /// <summary>Whether a per-pair area mask needs one convolution per input map.</summary>
    public bool AreaPerPair => AreaShape is { } s && s[1] > 1;

    /// <summary>One example's output shape for <paramref name="input"/>.</summary>
    public long[] OutputShape(long[] input) => Kind switch
    {
        LayerKind.Dense => [WeightShape![0]],
        LayerKind.Conv2d =>
            [WeightShape![0], Out(input[1], Kernel, Stride, Padding), Out(input[2], Kernel, Stride, Padding)],
        LayerKind.MaxPool2d => [input[0], Out(input[1], Kernel, Stride, 0), Out(input[2], Kernel, Stride, 0)],
        LayerKind.Flatten => [input.Aggregate(1L, (a, b) => a * b)],
        _ => input,
    };

    /// <summary>Multiply-accumulates per example of the operation as exported.</summary>
    public long DenseMultiplyAccumulates => Kind switch
    {
        LayerKind.Dense => WeightShape![0] * WeightShape[1],
        LayerKind.Conv2d =>
            WeightShape!.Aggregate(1L, (a, b) => a * b) * OutputShape(InputShape)[1] * OutputShape(InputShape)[2],
        _ => 0,
    };

    static long Out(long size, int kernel, int stride, int padding) => (size + 2 * padding - kernel) / stride + 1;
}
