using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nest.Generators;

/// <summary>
/// Names the generated code would trip over, caught as NEST errors on the user's line instead of compiler errors
/// inside the generated file or a collision when the module is built: layer names that are keywords or name a
/// generated member, two layers that map to one field or module name, user members Nest generates itself.
/// </summary>
internal static class SeedNames
{
    /// <summary>Members the generator writes on the seed class.</summary>
    static readonly HashSet<string> SeedMembers = new(System.StringComparer.Ordinal)
    {
        "Topology", "LayerConstants", "Classes", "ReferenceParameters", "ReferenceFlops", "SeedConnections",
            "SeedParameters",
        "SeedFlops", "CreateDenseReference", "IsDenseReference", "SampleShape", "forward",
    };

    /// <summary>Constants the generator writes in each layer's LayerConstants class (named after the layer).</summary>
    static readonly HashSet<string> LayerConstantNames = new(System.StringComparer.Ordinal)
    {
        "Index", "InputFeatures", "OutputFeatures", "InputChannels", "InputHeight", "InputWidth", "OutputChannels",
            "OutputHeight",
        "OutputWidth", "Kernel", "Stride", "Padding", "ReferenceWidth", "SeedWidth", "MaxWidth", "Density",
            "ReferenceParameters",
        "ReferenceFlops", "SeedConnections", "SeedParameters", "SeedFlops",
    };

    public static void Check(INamedTypeSymbol type, SeedDeclaration seed, List<DiagnosticInfo> diagnostics,
        CancellationToken ct)
    {
        var layerNames = new HashSet<string>(seed.Layers.Select(l => l.Name), System.StringComparer.Ordinal);
        var hooks =
            new HashSet<string>(seed.Layers.SelectMany(l => new[] { $"Add{l.Name}Units", $"Remove{l.Name}Units" }),
                System.StringComparer.Ordinal);
        foreach (var layer in seed.Layers)
        {
            ct.ThrowIfCancellationRequested();
            var problem = layer.Name.StartsWith("@", System.StringComparison.Ordinal) ? "is a C# keyword"
                : layer.Name == type.Name ? "is the seed class's own name"
                : SeedMembers.Contains(layer.Name) || hooks.Contains(layer.Name)
                    ? $"names a member Nest generates on '{type.Name}'"
                : LayerConstantNames.Contains(layer.Name)
                    ? $"names a constant Nest generates in LayerConstants.{layer.Name}"
                : null;
            if (problem is null) continue;
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.ReservedLayerName, layer.Location, layer.Name, problem));
            seed.HasStructuralErrors = true;
        }

        Collisions(seed, diagnostics);

        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || member.Locations.FirstOrDefault() is not { IsInSource: true } location)
                continue;
            var what = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "a constructor"
                : !layerNames.Contains(member.Name)
                    && (SeedMembers.Contains(member.Name) || hooks.Contains(member.Name)) ? $"a member '{member.Name}'"
                : null;
            if (what is null) continue;
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.ReservedSeedMember, LocationInfo.From(location), type.Name,
                what));
            seed.HasStructuralErrors = true;
        }
    }

    // Each layer against those before it, by its backing field, then its module name: one error per layer.
    static void Collisions(SeedDeclaration seed, List<DiagnosticInfo> diagnostics)
    {
        var seen = new Dictionary<string, LayerDeclaration>(System.StringComparer.Ordinal);
        foreach (var layer in seed.Layers)
        {
            var names = new[] { ResolvedLayer.FieldName(layer.Name), ResolvedLayer.ModuleName(layer.Name) };
            if (names.FirstOrDefault(seen.ContainsKey) is { } shared)
            {
                diagnostics.Add(
                    DiagnosticInfo.Create(DiagnosticDescriptors.LayerNamesCollide, layer.Location, seen[shared].Name,
                    layer.Name, shared));
                seed.HasStructuralErrors = true;
                continue;
            }
            foreach (var name in names) seen[name] = layer;
        }
    }
}
