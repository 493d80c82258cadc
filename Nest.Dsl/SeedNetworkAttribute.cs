using System;

namespace Nest.Dsl;

/// <summary>
/// Declares a seed network: a <c>partial</c> class whose <c>partial</c> properties, each carrying one
/// layer attribute (<see cref="DenseAttribute"/>, <see cref="Conv2dAttribute"/>,
/// <see cref="MaxPool2dAttribute"/>, <see cref="FlattenAttribute"/>, <see cref="DropoutAttribute"/>),
/// are the layers in declaration order. The Nest generator validates the declaration at compile time
/// and emits a TorchSharp module, shape and cost constants, a topology description and growth hooks.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SeedNetworkAttribute : Attribute
{
    /// <summary>Shape of one input sample without the batch dimension: <c>{ C, H, W }</c> for images,
    /// <c>{ N }</c> for flat vectors.</summary>
    public int[] Input { get; set; } = Array.Empty<int>();

    /// <summary>Number of classes: the width of the last layer.</summary>
    public int Classes { get; set; }

    /// <summary>Width scale r applied to every hidden layer that does not set its own (NeST seeds are the reference
    /// widths times r). The output layer always has <see cref="Classes"/> units.</summary>
    public double WidthScale { get; set; } = 1.0;
}
