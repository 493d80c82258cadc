using Nest.Dsl;

namespace Nest.Runtime;

/// <summary>
/// One layer of a seed as the generator resolved it at compile time. Shapes exclude the batch
/// dimension and are the seed's (widths already scaled); the Reference* figures are those of the
/// dense reference network (declared widths, every connection live).
/// </summary>
public sealed record LayerDescription
{
    /// <summary>Position in declaration order.</summary>
    public required int Index { get; init; }
    /// <summary>The C# property name, e.g. <c>Fc1</c>.</summary>
    public required string Name { get; init; }
    /// <summary>The module name used in state dicts, e.g. <c>fc1</c> (<c>fc1.weight_orig</c>).</summary>
    public required string ModuleName { get; init; }
    /// <summary>What the layer does.</summary>
    public required LayerKind Kind { get; init; }
    /// <summary>Input shape: <c>{ C, H, W }</c> or <c>{ N }</c>.</summary>
    public required IReadOnlyList<int> InputShape { get; init; }
    /// <summary>Output shape: <c>{ C, H, W }</c> or <c>{ N }</c>.</summary>
    public required IReadOnlyList<int> OutputShape { get; init; }
    /// <summary>Declared (reference) width: neurons or feature maps; 0 for layers without weights.</summary>
    public int ReferenceWidth { get; init; }
    /// <summary>Seed width after the width scale; 0 for layers without weights.</summary>
    public int SeedWidth { get; init; }
    /// <summary>Upper bound for growth; 0 when unbounded.</summary>
    public int MaxWidth { get; init; }
    /// <summary>Seed connection density in (0, 1]; 1 for layers without weights.</summary>
    public double Density { get; init; } = 1.0;
    /// <summary>Kernel (convolution, pooling); 0 otherwise.</summary>
    public int Kernel { get; init; }
    /// <summary>Stride (convolution, pooling); 0 otherwise.</summary>
    public int Stride { get; init; }
    /// <summary>Padding (convolution); 0 otherwise.</summary>
    public int Padding { get; init; }
    /// <summary>Drop probability (dropout); 0 otherwise.</summary>
    public double DropProbability { get; init; }
    /// <summary>Nonlinearity after the layer, resolved (never <see cref="Activation.Default"/>).</summary>
    public Activation Activation { get; init; } = Activation.None;
    /// <summary>Whether this is the output layer (its width is the class count and cannot grow).</summary>
    public bool IsOutput { get; init; }
    /// <summary>Index of the previous layer with weights, which produces this layer's input units; -1 if
    /// none.</summary>
    public int Producer { get; init; } = -1;
    /// <summary>Index of the next layer with weights, which consumes this layer's units; -1 if none.</summary>
    public int Consumer { get; init; } = -1;
    /// <summary>Consumer inputs per unit of this layer: H x W when a flatten lies between, else 1.</summary>
    public int ConsumerInputsPerUnit { get; init; }
    /// <summary>Weights plus biases of the dense reference layer.</summary>
    public long ReferenceParameters { get; init; }
    /// <summary>2 x multiply-accumulates of the dense reference layer.</summary>
    public long ReferenceFlops { get; init; }
    /// <summary>Live connections of the seed layer.</summary>
    public long SeedConnections { get; init; }
    /// <summary>Live connections plus biases of the seed layer.</summary>
    public long SeedParameters { get; init; }
    /// <summary>2 x multiply-accumulates of the seed's live connections.</summary>
    public long SeedFlops { get; init; }

    /// <summary>Whether the layer owns masked weights.</summary>
    public bool HasWeights => Kind is LayerKind.Dense or LayerKind.Conv2d;
}
