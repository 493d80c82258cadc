using System;

namespace Nest.Dsl;

/// <summary>Settings shared by layers that own weights and can grow or be pruned.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public abstract class ParametricLayerAttribute : Attribute
{
    /// <summary>Fraction of the seed's connections that are live at the start, in (0, 1].</summary>
    public double Density { get; set; } = 1.0;

    /// <summary>Width scale r for this layer; overrides <see cref="SeedNetworkAttribute.WidthScale"/>.
    /// 0 means "use the network's".</summary>
    public double WidthScale { get; set; }

    /// <summary>Upper bound on the width that growth may reach; 0 means unbounded.</summary>
    public int MaxWidth { get; set; }

    /// <summary>Nonlinearity after this layer.</summary>
    public Activation Activation { get; set; } = Activation.Default;
}
