using Microsoft.CodeAnalysis;

namespace Nest.Generators.Tests;

/// <summary>One scenario per diagnostic: the id, the message naming the layer and value, and the location.</summary>
public class DiagnosticTests
{
    /// <summary>Wraps layer declarations in a seed class with the usual usings.</summary>
    static string Seed(string layers, string attribute = "Input = new[] { 1, 28, 28 }, Classes = 10", string header = "public sealed partial class Net") => $$"""
        using Nest.Dsl;
        using Nest.Runtime;

        [SeedNetwork({{attribute}})]
        {{header}}
        {
        {{layers}}
        }
        """;

    static void ReportsOnly(string source, string id, string locationText, string message)
    {
        var result = GeneratorHarness.Run(source);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(locationText, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.EndsWith("#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);
        // The emitted stubs keep the build to the NEST error alone.
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void ReportsClassThatIsNotPartial() => ReportsOnly(
        Seed("", header: "public sealed class Net"), "NEST0001", "Net",
        "Seed class 'Net' must be declared partial so that Nest can generate its layers");

    [Fact]
    public void ReportsSeedWithoutLayers() => ReportsOnly(
        Seed("    public int NotALayer => 1;"), "NEST0002", "Net",
        "Seed 'Net' declares no layers: add partial properties with [Dense], [Conv2d], [MaxPool2d], [Flatten] or [Dropout]");

    [Fact]
    public void ReportsNonPositiveWidth() => ReportsOnly(
        Seed("    [Dense(0)] public partial MaskedLinear Fc { get; }", "Input = new[] { 784 }, Classes = 10"),
            "NEST0003", "0",
        "Layer 'Fc': Width must be positive, but is 0");

    [Fact]
    public void ReportsNonPositiveKernel() => ReportsOnly(
        Seed("""
                [Conv2d(8, Kernel = 0)] public partial MaskedConv2d Conv { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """), "NEST0003", "Kernel = 0",
        "Layer 'Conv': Kernel must be positive, but is 0");

    [Fact]
    public void ReportsNonPositiveStride() => ReportsOnly(
        Seed("""
                [MaxPool2d(2, Stride = -1)] public partial MaxPool Pool { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """), "NEST0003", "Stride = -1",
        "Layer 'Pool': Stride must be positive, but is -1");

    [Fact]
    public void ReportsDensityAboveOne() => ReportsOnly(
        Seed("    [Dense(10, Density = 1.5)] public partial MaskedLinear Fc { get; }",
            "Input = new[] { 784 }, Classes = 10"),
        "NEST0004", "Density = 1.5", "Layer 'Fc': Density must be in (0, 1], but is 1.5");

    [Fact]
    public void ReportsZeroDensity() => ReportsOnly(
        Seed("    [Dense(10, Density = 0)] public partial MaskedLinear Fc { get; }",
            "Input = new[] { 784 }, Classes = 10"),
        "NEST0004", "Density = 0", "Layer 'Fc': Density must be in (0, 1], but is 0");

    [Fact]
    public void ReportsKernelLargerThanInput() => ReportsOnly(
        Seed("""
                [Conv2d(8, Kernel = 31)] public partial MaskedConv2d Conv { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """), "NEST0005", "Kernel = 31",
        "Layer 'Conv': kernel 31 is larger than its padded input 28x28");

    [Fact]
    public void ReportsPoolLargerThanInput() => ReportsOnly(
        Seed("""
                [Conv2d(8, Kernel = 5, Stride = 5)] public partial MaskedConv2d Conv { get; }
                [MaxPool2d(6)] public partial MaxPool Pool { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """), "NEST0006", "6",
        "Layer 'Pool': pooling window 6 is larger than its input 5x5");

    [Fact]
    public void ReportsDenseLayerFedASpatialTensor() => ReportsOnly(
        Seed("""
                [Conv2d(8, Kernel = 5)] public partial MaskedConv2d Conv { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """), "NEST0007", "10",
        "Layer 'Out': a dense layer cannot take the 3-D input { 8, 24, 24 }; add a [Flatten] layer before it");

    [Fact]
    public void ReportsOutputWidthOtherThanClasses() => ReportsOnly(
        Seed("""
                [Dense(100)] public partial MaskedLinear Hidden { get; }
                [Dense(12)] public partial MaskedLinear Out { get; }
            """, "Input = new[] { 784 }, Classes = 10"), "NEST0008", "12",
        "Seed 'Net': the output of its last layer 'Out' is { 12 }, but Classes is 10");

    [Fact]
    public void ReportsTwoLayerAttributesOnOneProperty() => ReportsOnly(
        Seed("    [Dense(10)][Flatten] public partial MaskedLinear Fc { get; }", "Input = new[] { 784 }, Classes = 10"),
        "NEST0009", "Flatten", "Layer 'Fc' has more than one layer attribute ([Dense], [Flatten]); keep exactly one");

    [Fact]
    public void ReportsLayerAttributeOnWrongPropertyType() => ReportsOnly(
        Seed("    [Dense(10)] public partial MaskedConv2d Fc { get; }", "Input = new[] { 784 }, Classes = 10"),
        "NEST0010", "MaskedConv2d",
            "Layer 'Fc': [Dense] needs a property of type Nest.Runtime.MaskedLinear, but it is Nest.Runtime.MaskedConv2d");

    [Fact]
    public void ReportsPartialPropertyWithoutLayerKind() => ReportsOnly(
        Seed("""
                [Dense(10)] public partial MaskedLinear Fc { get; }
                public partial MaskedLinear Mystery { get; }
            """, "Input = new[] { 784 }, Classes = 10"),
        "NEST0011", "Mystery",
            "Partial property 'Mystery' of seed 'Net' has no layer attribute, so its layer kind is unknown");

    [Fact]
    public void ReportsNonPositiveNetworkWidthScale() => ReportsOnly(
        Seed("    [Dense(10)] public partial MaskedLinear Fc { get; }",
            "Input = new[] { 784 }, Classes = 10, WidthScale = -1"),
        "NEST0012", "WidthScale = -1", "Seed 'Net': WidthScale must be positive, but is -1");

    [Fact]
    public void ReportsNegativeLayerWidthScale() => ReportsOnly(
        Seed("""
                [Dense(100, WidthScale = -0.5)] public partial MaskedLinear Hidden { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """, "Input = new[] { 784 }, Classes = 10"),
        "NEST0012", "WidthScale = -0.5", "Layer 'Hidden': WidthScale must be positive, but is -0.5");

    [Fact]
    public void ReportsGrowthBoundBelowSeedWidth() => ReportsOnly(
        Seed("""
                [Dense(300, MaxWidth = 100)] public partial MaskedLinear Hidden { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """, "Input = new[] { 784 }, Classes = 10, WidthScale = 0.5"),
        "NEST0013", "MaxWidth = 100", "Layer 'Hidden': MaxWidth 100 is below its seed width 150");

    [Fact]
    public void ReportsInputShapeOfTwoDimensions() => ReportsOnly(
        Seed("    [Dense(10)] public partial MaskedLinear Fc { get; }", "Input = new[] { 28, 28 }, Classes = 10"),
        "NEST0014", "Input = new[] { 28, 28 }",
            "Seed 'Net': Input must be { C, H, W } or { N } with positive sizes, but is { 28, 28 }");

    [Fact]
    public void ReportsNonPositiveClasses() => ReportsOnly(
        Seed("    [Dense(10)] public partial MaskedLinear Fc { get; }", "Input = new[] { 784 }, Classes = 0"),
        "NEST0015", "Classes = 0", "Seed 'Net': Classes must be positive, but is 0");

    [Fact]
    public void ReportsLayerPropertyThatIsNotPartial() => ReportsOnly(
        Seed("    [Dense(10)] public MaskedLinear Fc { get; } = null!;", "Input = new[] { 784 }, Classes = 10"),
        "NEST0016", "Fc",
            "Layer 'Fc' must be a non-static, non-virtual, get-only partial property without a body (it is not partial)");

    [Fact]
    public void ReportsConvolutionAfterFlatten() => ReportsOnly(
        Seed("""
                [Flatten] public partial Flatten Flat { get; }
                [Conv2d(10, Kernel = 1)] public partial MaskedConv2d Conv { get; }
            """), "NEST0017", "10",
        "Layer 'Conv': a Conv2d layer needs a { C, H, W } input, but gets { 784 }");

    [Fact]
    public void ReportsGenericSeedClass() => ReportsOnly(
        Seed("", header: "public sealed partial class Net<T>"), "NEST0018", "Net",
        "Seed class 'Net' must be a top-level, non-generic, non-static class (it is generic)");

    [Fact]
    public void ReportsSeedClassWithBaseClass() => ReportsOnly(
        Seed("    [Dense(10)] public partial MaskedLinear Fc { get; }",
            "Input = new[] { 784 }, Classes = 10",
                "public sealed partial class Net : Base") + "\npublic class Base { }",
        "NEST0019", "Net", "Seed class 'Net' must not declare a base class (Base); Nest makes it a TorchSharp module");

    [Fact]
    public void ReportsDropoutProbabilityOfOne() => ReportsOnly(
        Seed("""
                [Dropout(1.0)] public partial Dropout Drop { get; }
                [Dense(10)] public partial MaskedLinear Fc { get; }
            """, "Input = new[] { 784 }, Classes = 10"), "NEST0020", "1.0",
        "Layer 'Drop': dropout probability must be in [0, 1), but is 1");

    [Fact]
    public void ReportsNegativePadding() => ReportsOnly(
        Seed("""
                [Conv2d(8, Kernel = 3, Padding = -1)] public partial MaskedConv2d Conv { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """), "NEST0021", "Padding = -1", "Layer 'Conv': Padding must not be negative, but is -1");

    [Fact]
    public void ReportsWidthThatScalesToNothing() => ReportsOnly(
        Seed("""
                [Dense(4, WidthScale = 0.1)] public partial MaskedLinear Hidden { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """, "Input = new[] { 784 }, Classes = 10"), "NEST0022", "WidthScale = 0.1",
        "Layer 'Hidden': width 4 x WidthScale 0.1 rounds to no units");

    [Fact]
    public void ReportsUndefinedActivation() => ReportsOnly(
        Seed("    [Dense(10, Activation = (Activation)42)] public partial MaskedLinear Fc { get; }",
            "Input = new[] { 784 }, Classes = 10"),
        "NEST0023", "Activation = (Activation)42", "Layer 'Fc': 42 is not a valid value for Activation");

    [Fact]
    public void ReportsNetworkTooLargeToCount() => ReportsOnly(
        Seed("""
                [Dense(2000000000)] public partial MaskedLinear Wide { get; }
                [Dense(2000000000)] public partial MaskedLinear Wider { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            """, "Input = new[] { 2000000000 }, Classes = 10"), "NEST0024", "Dense(2000000000)",
        "Layer 'Wider' is too large to count its parameters or shapes (the network's total exceeds 64 bits)");
}
