using System.Collections.Generic;

namespace Nest.Generators;

/// <summary>
/// A layer as written in source, with the locations of its arguments. Lives only inside the
/// transform (it holds locations), so it need not be equatable.
/// </summary>
internal sealed class LayerDeclaration
{
    public LayerDeclaration(LayerKind kind, PropertyStub property, LocationInfo? location)
    {
        Kind = kind;
        Property = property;
        Location = location;
    }

    public LayerKind Kind { get; }
    public PropertyStub Property { get; }
    public string Name => Property.Name;
    /// <summary>The attribute, where layer-wide errors point.</summary>
    public LocationInfo? Location { get; }

    public int Width { get; set; }
    public double Density { get; set; } = 1.0;
    public double WidthScale { get; set; }
    public int MaxWidth { get; set; }
    public int RawActivation { get; set; }
    public int Kernel { get; set; }
    public int Stride { get; set; }
    public int Padding { get; set; }
    public double DropProbability { get; set; }

    /// <summary>Where each argument was written, by its DSL name ("Width", "Density", ...).</summary>
    public Dictionary<string, LocationInfo?> ArgumentLocations { get; } = new();

    public LocationInfo? LocationOf(string argument) =>
        ArgumentLocations.TryGetValue(argument, out var location) && location is not null ? location : Location;

    public bool HasWeights => Kind is LayerKind.Dense or LayerKind.Conv2d;
}

/// <summary>The seed class as written: network attribute values and its layers in declaration order.</summary>
internal sealed class SeedDeclaration
{
    public SeedDeclaration(string? ns, string className, LocationInfo? classLocation, LocationInfo? attributeLocation)
    {
        Namespace = ns;
        ClassName = className;
        ClassLocation = classLocation;
        AttributeLocation = attributeLocation;
    }

    public string? Namespace { get; }
    public string ClassName { get; }
    public LocationInfo? ClassLocation { get; }
    public LocationInfo? AttributeLocation { get; }
    public int[] Input { get; set; } = new int[0];
    public LocationInfo? InputLocation { get; set; }
    public int Classes { get; set; }
    public LocationInfo? ClassesLocation { get; set; }
    public double WidthScale { get; set; } = 1.0;
    public LocationInfo? WidthScaleLocation { get; set; }
    public List<LayerDeclaration> Layers { get; } = new();
    /// <summary>Partial properties the emitter must implement even if the seed is invalid.</summary>
    public List<PropertyStub> Stubs { get; } = new();
    /// <summary>Set when an error makes the layer list unusable (the emitter then writes stubs only).</summary>
    public bool HasStructuralErrors { get; set; }
}
