using System;

namespace Nest.Dsl;

/// <summary>Dropout while training (a <c>Dropout</c> property); no effect on shapes or costs.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Creates a dropout layer that zeroes each activation with <paramref name="probability"/>.</summary>
    public DropoutAttribute(double probability = 0.5) => Probability = probability;

    /// <summary>Probability of zeroing an activation, in [0, 1).</summary>
    public double Probability { get; }
}
