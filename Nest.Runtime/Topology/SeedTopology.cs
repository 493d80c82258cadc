namespace Nest.Runtime;

/// <summary>A seed network as the generator resolved it: its layers in order and its compile-time costs.</summary>
public sealed record SeedTopology
{
    /// <summary>The seed class name.</summary>
    public required string Name { get; init; }
    /// <summary>Shape of one input sample: <c>{ C, H, W }</c> or <c>{ N }</c>.</summary>
    public required IReadOnlyList<int> InputShape { get; init; }
    /// <summary>Number of classes (the output layer's width).</summary>
    public required int Classes { get; init; }
    /// <summary>The layers in declaration order.</summary>
    public required IReadOnlyList<LayerDescription> Layers { get; init; }
    /// <summary>Weights plus biases of the dense reference network.</summary>
    public long ReferenceParameters { get; init; }
    /// <summary>2 x multiply-accumulates of the dense reference network.</summary>
    public long ReferenceFlops { get; init; }
    /// <summary>Live connections of the seed.</summary>
    public long SeedConnections { get; init; }
    /// <summary>Live connections plus biases of the seed.</summary>
    public long SeedParameters { get; init; }
    /// <summary>2 x multiply-accumulates of the seed's live connections.</summary>
    public long SeedFlops { get; init; }

    /// <summary>The layer with the given property name.</summary>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the names.</exception>
    public LayerDescription this[string name] =>
        Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException(
            $"Seed '{Name}' has no layer '{name}'; its layers are {string.Join(", ", Layers.Select(l => l.Name))}.",
                nameof(name));
}
