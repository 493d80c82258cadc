using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Nest.Generators;

/// <summary>
/// Symbols -> <see cref="SeedDeclaration"/>: reads the attributes of a seed class and its layer
/// properties, and reports what is wrong with the declaration itself (not with its shapes).
/// Never throws on malformed input: every value is read defensively.
/// </summary>
internal static class SeedParser
{
    static readonly Dictionary<string, (LayerKind Kind, string TypeName, string Short)> LayerAttributes = new()
    {
        [KnownNames.DenseAttribute] = (LayerKind.Dense, KnownNames.MaskedLinear, "Dense"),
        [KnownNames.Conv2dAttribute] = (LayerKind.Conv2d, KnownNames.MaskedConv2d, "Conv2d"),
        [KnownNames.MaxPool2dAttribute] = (LayerKind.MaxPool2d, KnownNames.MaxPool, "MaxPool2d"),
        [KnownNames.FlattenAttribute] = (LayerKind.Flatten, KnownNames.Flatten, "Flatten"),
        [KnownNames.DropoutAttribute] = (LayerKind.Dropout, KnownNames.Dropout, "Dropout"),
    };

    /// <summary>Parses the class; returns null when the class itself cannot host generated code.</summary>
    public static SeedDeclaration? Parse(GeneratorAttributeSyntaxContext context, List<DiagnosticInfo> diagnostics,
        CancellationToken ct)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
            return null;
        // One part speaks for the seed: [SeedNetwork] on a second part is the compiler's CS0579, and two outputs
        // for one class would collide.
        if (!IsFirstSeedPart(type, syntax, ct))
            return null;

        var classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        var isPartial = type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(ct))
            .OfType<TypeDeclarationSyntax>()
            .All(c => c.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!isPartial)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SeedClassNotPartial, classLocation, type.Name));
            return null;
        }

        var unsupported = syntax is RecordDeclarationSyntax ? "it is a record"
            : SyntaxFacts.GetKeywordKind(type.Name) != SyntaxKind.None ? "its name is a C# keyword"
            : type.ContainingType is not null ? "it is nested in " + type.ContainingType.Name
            : type.TypeParameters.Length > 0 ? "it is generic"
            : type.IsStatic ? "it is static"
            : type.IsAbstract ? "it is abstract"
            : type.IsFileLocal ? "it is file-local"
            : type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(ct)).OfType<TypeDeclarationSyntax>().Any(t =>
                t.ParameterList is not null)
                ? "it has a primary constructor"
            : null;
        if (unsupported is not null)
        {
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedSeedClass, classLocation, type.Name,
                unsupported));
            return null;
        }

        var attribute = context.Attributes.FirstOrDefault();
        var attributeSyntax = attribute?.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        var seed =
            new SeedDeclaration(ns, type.Name, classLocation, LocationInfo.From(attributeSyntax) ?? classLocation);

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
        {
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.SeedHasBaseClass, classLocation, type.Name,
                baseType.ToDisplayString()));
            seed.HasStructuralErrors = true;
        }

        if (attribute is not null)
        {
            foreach (var named in attribute.NamedArguments)
            {
                var location = NamedArgumentLocation(attributeSyntax, named.Key) ?? seed.AttributeLocation;
                switch (named.Key)
                {
                    case "Input":
                        seed.Input = named.Value.Kind == TypedConstantKind.Array && !named.Value.IsNull
                            ? named.Value.Values.Select(v => v.Value is int i ? i : 0).ToArray()
                            : new int[0];
                        seed.InputLocation = location;
                        break;
                    case "Classes":
                        seed.Classes = named.Value.Value is int c ? c : 0;
                        seed.ClassesLocation = location;
                        break;
                    case "WidthScale":
                        seed.WidthScale = named.Value.Value is double w ? w : double.NaN;
                        seed.WidthScaleLocation = location;
                        break;
                }
            }
        }
        seed.InputLocation ??= seed.AttributeLocation;
        seed.ClassesLocation ??= seed.AttributeLocation;
        seed.WidthScaleLocation ??= seed.AttributeLocation;

        var properties = type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => p.Locations.Length > 0 && p.Locations[0].IsInSource)
            .OrderBy(p => p.Locations[0].SourceTree?.FilePath ?? "", System.StringComparer.Ordinal)
            .ThenBy(p => p.Locations[0].SourceSpan.Start);

        foreach (var property in properties)
        {
            ct.ThrowIfCancellationRequested();
            var layers = seed.Layers.Count;
            ParseProperty(type, property, seed, diagnostics, ct);
            if (seed.Layers.Count > layers && !Inside(property, syntax))
            {
                // Layers run in declaration order, which across files has no order a reader can see.
                diagnostics.Add(
                    DiagnosticInfo.Create(DiagnosticDescriptors.LayerOutsideSeedPart,
                    seed.Layers[seed.Layers.Count - 1].Location, property.Name, type.Name));
                seed.HasStructuralErrors = true;
            }
        }
        SeedNames.Check(type, seed, diagnostics, ct);

        if (seed.Layers.Count == 0 && !seed.HasStructuralErrors)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SeedHasNoLayers, classLocation, type.Name));
            seed.HasStructuralErrors = true;
        }
        return seed;
    }

    // The first declaration of the class (by file path, then position) that carries an attribute named SeedNetwork.
    static bool IsFirstSeedPart(INamedTypeSymbol type, TypeDeclarationSyntax target, CancellationToken ct)
    {
        var first = type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(ct))
            .OfType<TypeDeclarationSyntax>()
            .Where(t => t.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is var n &&
                (n.EndsWith("SeedNetwork", System.StringComparison.Ordinal)
                    || n.EndsWith("SeedNetworkAttribute", System.StringComparison.Ordinal))))
            .OrderBy(t => t.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(t => t.SpanStart)
            .FirstOrDefault();
        return first is null || first == target;
    }

    static bool Inside(IPropertySymbol property, TypeDeclarationSyntax part) =>
        property.Locations.Any(l => l.SourceTree == part.SyntaxTree && part.Span.Contains(l.SourceSpan));

    static void ParseProperty(INamedTypeSymbol type, IPropertySymbol property, SeedDeclaration seed,
        List<DiagnosticInfo> diagnostics, CancellationToken ct)
    {
        var syntax = property.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(ct))
            .OfType<PropertyDeclarationSyntax>()
            .FirstOrDefault(p => p.Modifiers.Any(SyntaxKind.PartialKeyword) && !HasBodies(p))
            ?? property.DeclaringSyntaxReferences.Select(r =>
                r.GetSyntax(ct)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        if (syntax is null) return;

        var isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        var implementedByHand = property.DeclaringSyntaxReferences.Length > 1 || (isPartial && HasBodies(syntax));
        // A stub repeats the declared accessors (a setter too, though a layer has none: NEST0016 says so), else the
        // compiler adds an error of its own about the missing accessor in the generated part.
        var setter = property.SetMethod is null ? null : property.SetMethod.IsInitOnly ? "init" : "set";
        // Escaped where the name is a keyword (@class), so that even an invalid seed's stubs compile.
        var stub =
            new PropertyStub(SyntaxFacts.GetKeywordKind(property.Name) != SyntaxKind.None ? "@" + property.Name
                : property.Name, Modifiers(syntax),
                property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), setter);
        var propertyLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        var canStub = isPartial && !implementedByHand;

        var layerAttributes = property.GetAttributes()
            .Where(a => a.AttributeClass is not null && LayerAttributes.ContainsKey(a.AttributeClass.ToDisplayString()))
            .ToList();

        if (layerAttributes.Count == 0)
        {
            if (isPartial)
            {
                diagnostics.Add(
                    DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayerKind, propertyLocation, property.Name,
                    type.Name));
                seed.HasStructuralErrors = true;
                if (canStub) seed.Stubs.Add(stub);
            }
            return;
        }

        if (canStub) seed.Stubs.Add(stub);

        if (layerAttributes.Count > 1)
        {
            var names =
                string.Join(", ",
                    layerAttributes.Select(a =>
                    "[" + LayerAttributes[a.AttributeClass!.ToDisplayString()].Short + "]"));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLayerAttributes,
                LocationInfo.From(layerAttributes[1].ApplicationSyntaxReference?.GetSyntax(ct)) ?? propertyLocation,
                    property.Name, names));
            seed.HasStructuralErrors = true;
            return;
        }

        var problem = !isPartial ? "it is not partial"
            : implementedByHand ? "it already has an implementation"
            : property.IsStatic ? "it is static"
            : property.IsVirtual || property.IsOverride || property.IsAbstract
                ? "it is virtual, abstract or an override"
            : property.SetMethod is not null ? "it has a setter"
            : property.IsIndexer ? "it is an indexer"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerProperty, propertyLocation, property.Name,
                problem));
            seed.HasStructuralErrors = true;
            return;
        }

        var attribute = layerAttributes[0];
        var (kind, expectedType, shortName) = LayerAttributes[attribute.AttributeClass!.ToDisplayString()];
        var actualType = property.Type.ToDisplayString();
        if (actualType != expectedType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTypeMismatch,
                LocationInfo.From(syntax.Type) ?? propertyLocation, property.Name, shortName, expectedType,
                    actualType));
            seed.HasStructuralErrors = true;
            return;
        }

        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        var layer = new LayerDeclaration(kind, stub, LocationInfo.From(attributeSyntax) ?? propertyLocation);
        ReadArguments(attribute, attributeSyntax, layer);
        seed.Layers.Add(layer);
    }

    static void ReadArguments(AttributeData attribute, AttributeSyntax? syntax, LayerDeclaration layer)
    {
        // The single constructor argument of each layer attribute, under its DSL property name.
        var ctorName = layer.Kind switch
        {
            LayerKind.Dense => "Width",
            LayerKind.Conv2d => "Channels",
            LayerKind.MaxPool2d => "Kernel",
            LayerKind.Dropout => "Probability",
            _ => null,
        };
        if (layer.Kind == LayerKind.Conv2d)
        {
            layer.Kernel = 3;
            layer.Stride = 1;
        }
        if (ctorName is not null && attribute.ConstructorArguments.Length > 0)
        {
            Assign(layer, ctorName, attribute.ConstructorArguments[0]);
            layer.ArgumentLocations[ctorName] = LocationInfo.From(ConstructorArgument(syntax, 0));
        }
        else if (layer.Kind == LayerKind.Dropout)
        {
            layer.DropProbability = 0.5;
        }
        foreach (var named in attribute.NamedArguments)
        {
            Assign(layer, named.Key, named.Value);
            layer.ArgumentLocations[named.Key] = NamedArgumentLocation(syntax, named.Key);
        }
    }

    static void Assign(LayerDeclaration layer, string name, TypedConstant value)
    {
        int Int() => value.Value is int i ? i : 0;
        double Double() => value.Value is double d ? d : double.NaN;
        switch (name)
        {
            case "Width":
            case "Channels": layer.Width = Int(); break;
            case "Kernel": layer.Kernel = Int(); break;
            case "Stride": layer.Stride = Int(); break;
            case "Padding": layer.Padding = Int(); break;
            case "Density": layer.Density = Double(); break;
            case "WidthScale": layer.WidthScale = Double(); break;
            case "MaxWidth": layer.MaxWidth = Int(); break;
            case "Activation": layer.RawActivation = Int(); break;
            case "Probability": layer.DropProbability = Double(); break;
        }
    }

    static LocationInfo? NamedArgumentLocation(AttributeSyntax? syntax, string name) =>
        LocationInfo.From(
            syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name));

    static SyntaxNode? ConstructorArgument(AttributeSyntax? syntax, int index) =>
        syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ElementAtOrDefault(index);

    static bool HasBodies(PropertyDeclarationSyntax p) =>
        p.ExpressionBody is not null
            || (p.AccessorList?.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null) ?? false);

    /// <summary>The modifiers the implementing declaration must repeat (accessibility and the like), then
    /// "partial".</summary>
    static string Modifiers(PropertyDeclarationSyntax syntax)
    {
        var kept = syntax.Modifiers
            .Where(m =>
                m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.PrivateKeyword)
                    || m.IsKind(SyntaxKind.ProtectedKeyword)
                        || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.NewKeyword)
                            || m.IsKind(SyntaxKind.RequiredKeyword))
            .Select(m => m.ValueText);
        return string.Join(" ", kept.Concat(new[] { "partial" }));
    }
}
