using System;

namespace Nest.Dsl;

/// <summary>A fully connected layer of <see cref="Width"/> neurons (a <c>MaskedLinear</c> property).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class DenseAttribute : ParametricLayerAttribute
{
    /// <summary>Creates a dense layer with the reference width <paramref name="width"/>.</summary>
    public DenseAttribute(int width) => Width = width;

    /// <summary>Reference (unscaled) number of neurons.</summary>
    public int Width { get; }
}
