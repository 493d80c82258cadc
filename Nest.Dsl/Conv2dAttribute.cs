using System;

namespace Nest.Dsl;

/// <summary>A 2-D convolution with <see cref="Channels"/> output feature maps (a <c>MaskedConv2d</c>
/// property).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class Conv2dAttribute : ParametricLayerAttribute
{
    /// <summary>Creates a convolution with the reference number of output feature maps.</summary>
    public Conv2dAttribute(int channels) => Channels = channels;

    /// <summary>Reference (unscaled) number of output feature maps.</summary>
    public int Channels { get; }

    /// <summary>Square kernel size.</summary>
    public int Kernel { get; set; } = 3;

    /// <summary>Stride in both directions.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; set; }
}
