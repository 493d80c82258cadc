using System;

namespace Nest.Dsl;

/// <summary>2-D max pooling (a <c>MaxPool</c> property).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class MaxPool2dAttribute : Attribute
{
    /// <summary>Creates a square pooling window of <paramref name="kernel"/>; the stride defaults to the
    /// kernel.</summary>
    public MaxPool2dAttribute(int kernel) => Kernel = kernel;

    /// <summary>Square window size.</summary>
    public int Kernel { get; }

    /// <summary>Stride; 0 means equal to <see cref="Kernel"/>.</summary>
    public int Stride { get; set; }
}
