using System.Linq;

namespace Nest.Generators;

/// <summary>
/// A seed as the emitter sees it. When <see cref="IsValid"/> is false the seed had errors: the emitter
/// then only implements <see cref="Stubs"/> (throwing), so that the build shows the NEST errors and
/// not a cascade of "partial property has no implementation".
/// </summary>
internal sealed record SeedModel(
    string? Namespace,
    string ClassName,
    bool IsValid,
    EquatableArray<int> InputShape,
    int Classes,
    EquatableArray<LayerModel> Layers,
    EquatableArray<PropertyStub> Stubs,
    long ReferenceParameters,
    long ReferenceFlops,
    long SeedConnections,
    long SeedParameters,
    long SeedFlops)
{
    // Only letters, digits, '.' and '_' in a hint name: an escaped keyword (namespace X.@fixed) would make AddSource
    // throw.
    public string HintName => new string(((Namespace is null ? "" : Namespace + ".") + ClassName)
        .Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '_').ToArray()) + ".g.cs";
}

/// <summary>The transform's result: the model (null when nothing can be emitted) and the diagnostics.</summary>
internal sealed record SeedResult(SeedModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
