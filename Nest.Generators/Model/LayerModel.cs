namespace Nest.Generators;

/// <summary>One validated layer with its inferred shapes and costs: everything the emitter needs, as values.</summary>
internal sealed record LayerModel(
    int Index,
    string Name,
    string FieldName,
    string ModuleName,
    LayerKind Kind,
    PropertyStub Property,
    EquatableArray<int> InputShape,
    EquatableArray<int> OutputShape,
    int ReferenceInputUnits,
    int ReferenceWidth,
    int SeedWidth,
    int MaxWidth,
    double Density,
    int Kernel,
    int Stride,
    int Padding,
    double DropProbability,
    Activation Activation,
    bool IsOutput,
    int Producer,
    int Consumer,
    int ConsumerInputsPerUnit,
    long ReferenceParameters,
    long ReferenceFlops,
    long SeedConnections,
    long SeedParameters,
    long SeedFlops)
{
    public bool HasWeights => Kind is LayerKind.Dense or LayerKind.Conv2d;
}

/// <summary>What the emitter needs to implement a partial property: its name, modifiers and type.</summary>
internal sealed record PropertyStub(string Name, string Modifiers, string TypeName, string? Setter = null);
