using Microsoft.CodeAnalysis;

namespace Nest.Generators;

/// <summary>
/// Every diagnostic the Nest generator reports. Ids are stable: never renumber or reuse one, and keep
/// AnalyzerReleases.Unshipped.md and docs/diagnostics.md in step with this file.
/// </summary>
internal static class DiagnosticDescriptors
{
    const string Category = "Nest.Seed";

    static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: KnownNames.HelpLinkBase + id.ToLowerInvariant());

    /// <summary>"Seed class '{0}' must be declared partial so that Nest can generate its layers"</summary>
    public static readonly DiagnosticDescriptor SeedClassNotPartial = Error("NEST0001",
        "Seed class must be partial", "Seed class '{0}' must be declared partial so that Nest can generate its layers");

    /// <summary>"Seed '{0}' declares no layers: add partial properties with [Dense], [Conv2d], [MaxPool2d], [Flatten]
    /// or [Dropout]"</summary>
    public static readonly DiagnosticDescriptor SeedHasNoLayers = Error("NEST0002",
        "Seed has no layers",
            "Seed '{0}' declares no layers: add partial properties with [Dense], [Conv2d], [MaxPool2d], [Flatten] or [Dropout]");

    /// <summary>"Layer '{0}': {1} must be positive, but is {2}"</summary>
    public static readonly DiagnosticDescriptor NonPositiveValue = Error("NEST0003",
        "Layer value must be positive", "Layer '{0}': {1} must be positive, but is {2}");

    /// <summary>"Layer '{0}': Density must be in (0, 1], but is {1}"</summary>
    public static readonly DiagnosticDescriptor DensityOutOfRange = Error("NEST0004",
        "Density out of range", "Layer '{0}': Density must be in (0, 1], but is {1}");

    /// <summary>"Layer '{0}': kernel {1} is larger than its padded input {2}x{3}"</summary>
    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error("NEST0005",
        "Convolution kernel larger than its input", "Layer '{0}': kernel {1} is larger than its padded input {2}x{3}");

    /// <summary>"Layer '{0}': pooling window {1} is larger than its input {2}x{3}"</summary>
    public static readonly DiagnosticDescriptor PoolLargerThanInput = Error("NEST0006",
        "Pooling window larger than its input", "Layer '{0}': pooling window {1} is larger than its input {2}x{3}");

    /// <summary>"Layer '{0}': a dense layer cannot take the 3-D input {1}; add a [Flatten] layer before it"</summary>
    public static readonly DiagnosticDescriptor DenseNeedsFlatten = Error("NEST0007",
        "Dense layer fed a 3-D tensor",
            "Layer '{0}': a dense layer cannot take the 3-D input {1}; add a [Flatten] layer before it");

    /// <summary>"Seed '{0}': the output of its last layer '{1}' is {2}, but Classes is {3}"</summary>
    public static readonly DiagnosticDescriptor OutputWidthMismatch = Error("NEST0008",
        "Output width is not the class count",
            "Seed '{0}': the output of its last layer '{1}' is {2}, but Classes is {3}");

    /// <summary>"Layer '{0}' has more than one layer attribute ({1}); keep exactly one"</summary>
    public static readonly DiagnosticDescriptor DuplicateLayerAttributes = Error("NEST0009",
        "More than one layer attribute", "Layer '{0}' has more than one layer attribute ({1}); keep exactly one");

    /// <summary>"Layer '{0}': [{1}] needs a property of type {2}, but it is {3}"</summary>
    public static readonly DiagnosticDescriptor LayerTypeMismatch = Error("NEST0010",
        "Layer property has the wrong type", "Layer '{0}': [{1}] needs a property of type {2}, but it is {3}");

    /// <summary>"Partial property '{0}' of seed '{1}' has no layer attribute, so its layer kind is unknown"</summary>
    public static readonly DiagnosticDescriptor UnknownLayerKind = Error("NEST0011",
        "Unknown layer kind",
            "Partial property '{0}' of seed '{1}' has no layer attribute, so its layer kind is unknown");

    /// <summary>"{0}: WidthScale must be positive, but is {1}"</summary>
    public static readonly DiagnosticDescriptor NonPositiveWidthScale = Error("NEST0012",
        "Width scale must be positive", "{0}: WidthScale must be positive, but is {1}");

    /// <summary>"Layer '{0}': MaxWidth {1} is below its seed width {2}"</summary>
    public static readonly DiagnosticDescriptor GrowthBoundBelowSeedWidth = Error("NEST0013",
        "Growth bound below seed width", "Layer '{0}': MaxWidth {1} is below its seed width {2}");

    /// <summary>"Seed '{0}': Input must be { C, H, W } or { N } with positive sizes, but is {1}"</summary>
    public static readonly DiagnosticDescriptor InvalidInputShape = Error("NEST0014",
        "Invalid input shape", "Seed '{0}': Input must be {{ C, H, W }} or {{ N }} with positive sizes, but is {1}");

    /// <summary>"Seed '{0}': Classes must be positive, but is {1}"</summary>
    public static readonly DiagnosticDescriptor NonPositiveClasses = Error("NEST0015",
        "Class count must be positive", "Seed '{0}': Classes must be positive, but is {1}");

    /// <summary>"Layer '{0}' must be a non-static, non-virtual, get-only partial property without a body
    /// ({1})"</summary>
    public static readonly DiagnosticDescriptor InvalidLayerProperty = Error("NEST0016",
        "Invalid layer property",
            "Layer '{0}' must be a non-static, non-virtual, get-only partial property without a body ({1})");

    /// <summary>"Layer '{0}': a {1} layer needs a { C, H, W } input, but gets {2}"</summary>
    public static readonly DiagnosticDescriptor NeedsSpatialInput = Error("NEST0017",
        "Layer needs a spatial input", "Layer '{0}': a {1} layer needs a {{ C, H, W }} input, but gets {2}");

    /// <summary>"Seed class '{0}' must be a top-level, non-generic, non-static class ({1})"</summary>
    public static readonly DiagnosticDescriptor UnsupportedSeedClass = Error("NEST0018",
        "Unsupported seed class", "Seed class '{0}' must be a top-level, non-generic, non-static class ({1})");

    /// <summary>"Seed class '{0}' must not declare a base class ({1}); Nest makes it a TorchSharp module"</summary>
    public static readonly DiagnosticDescriptor SeedHasBaseClass = Error("NEST0019",
        "Seed class declares a base class",
            "Seed class '{0}' must not declare a base class ({1}); Nest makes it a TorchSharp module");

    /// <summary>"Layer '{0}': dropout probability must be in [0, 1), but is {1}"</summary>
    public static readonly DiagnosticDescriptor DropoutOutOfRange = Error("NEST0020",
        "Dropout probability out of range", "Layer '{0}': dropout probability must be in [0, 1), but is {1}");

    /// <summary>"Layer '{0}': Padding must not be negative, but is {1}"</summary>
    public static readonly DiagnosticDescriptor NegativePadding = Error("NEST0021",
        "Negative padding", "Layer '{0}': Padding must not be negative, but is {1}");

    /// <summary>"Layer '{0}': width {1} x WidthScale {2} rounds to no units"</summary>
    public static readonly DiagnosticDescriptor ScaledWidthVanishes = Error("NEST0022",
        "Scaled width rounds to zero", "Layer '{0}': width {1} x WidthScale {2} rounds to no units");

    /// <summary>"Layer '{0}': {1} is not a valid value for {2}"</summary>
    public static readonly DiagnosticDescriptor InvalidAttributeValue = Error("NEST0023",
        "Invalid attribute value", "Layer '{0}': {1} is not a valid value for {2}");

    /// <summary>"Layer '{0}' is too large to count its parameters or shapes ({1})"</summary>
    public static readonly DiagnosticDescriptor LayerTooLarge = Error("NEST0024",
        "Layer too large", "Layer '{0}' is too large to count its parameters or shapes ({1})");

    /// <summary>"Layer '{0}': its name {1}; rename the property"</summary>
    public static readonly DiagnosticDescriptor ReservedLayerName = Error("NEST0026",
        "Layer name reserved", "Layer '{0}': its name {1}; rename the property");

    /// <summary>"Layers '{0}' and '{1}' would share the generated name '{2}'; rename one of them"</summary>
    public static readonly DiagnosticDescriptor LayerNamesCollide = Error("NEST0027",
        "Layer names collide", "Layers '{0}' and '{1}' would share the generated name '{2}'; rename one of them");

    /// <summary>"Seed '{0}' declares {1}, which Nest generates; remove or rename it"</summary>
    public static readonly DiagnosticDescriptor ReservedSeedMember = Error("NEST0028",
        "Seed member reserved", "Seed '{0}' declares {1}, which Nest generates; remove or rename it");

    /// <summary>"Layer '{0}' is declared in another part of '{1}' than the one with [SeedNetwork]; declare every layer
    /// there, in call order"</summary>
    public static readonly DiagnosticDescriptor LayerOutsideSeedPart = Error("NEST0029",
        "Layer outside the seed's part",
            "Layer '{0}' is declared in another part of '{1}' than the one with [SeedNetwork]; declare every layer there, in call order");

    /// <summary>"The Nest generator failed on seed '{0}' ({1}); please report this with the seed's
    /// declaration"</summary>
    public static readonly DiagnosticDescriptor GeneratorFailure = Error("NEST0025",
        "Generator failure",
            "The Nest generator failed on seed '{0}' ({1}); please report this with the seed's declaration");
}
