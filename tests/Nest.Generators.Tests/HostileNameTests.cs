using Microsoft.CodeAnalysis;

namespace Nest.Generators.Tests;

/// <summary>Names and declaration forms that once crashed the generator or broke the generated code: each now gets
/// a NEST error on the user's line, or compiles and works; the generator never throws.</summary>
public class HostileNameTests
{
    static string Seed(string layers, string header = "public sealed partial class Net", string ns = "namespace Demo;") => $$"""
        using Nest.Dsl;
        using Nest.Runtime;
        {{ns}}

        [SeedNetwork(Input = new[] { 784 }, Classes = 10)]
        {{header}}
        {
        {{layers}}
        }
        """;

    const string Plain = """
            [Dense(20)] public partial MaskedLinear Hidden { get; }
            [Dense(10)] public partial MaskedLinear Out { get; }
        """;

    static Diagnostic Single(GeneratorHarness.Result result, string id, string locationText)
    {
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(locationText, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Empty(result.CompileErrors);
        return diagnostic;
    }

    static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void AnEscapedKeywordInTheNamespaceCompiles()
    {
        var result = GeneratorHarness.Run(Seed(Plain, ns: "namespace Demo.@fixed;"));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        Assert.Contains("Demo._fixed.Net.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void SeedNetworkOnTwoPartsEmitsOnceAndLeavesTheErrorToTheCompiler()
    {
        var second = """
            using Nest.Dsl;
            namespace Demo;
            [SeedNetwork(Input = new[] { 784 }, Classes = 10)]
            public sealed partial class Net { }
            """;

        var result = GeneratorHarness.Run(Seed(Plain), second);

        Assert.Single(result.Sources.Keys, k => k != "Nest.SeedRegistration.g.cs");
        Assert.Equal("CS0579", Assert.Single(result.CompileErrors).Id);
    }

    [Fact]
    public void ALayerInAnotherPartIsReportedOnItsLine()
    {
        var other = """
            using Nest.Dsl;
            using Nest.Runtime;
            namespace Demo;
            public sealed partial class Net
            {
                [Dense(10)] public partial MaskedLinear Out { get; }
            }
            """;

        var result = GeneratorHarness.Run(Seed("    [Dense(20)] public partial MaskedLinear Hidden { get; }"), other);

        var d = Single(result, "NEST0029", "Dense(10)");
        Assert.Equal("Layer 'Out' is declared in another part of 'Net' than the one with [SeedNetwork]; declare every layer there, in call order", Message(d));
    }

    [Theory]
    [InlineData("@class", "is a C# keyword")]
    [InlineData("Index", "names a constant Nest generates in LayerConstants.Index")]
    [InlineData("Kernel", "names a constant Nest generates in LayerConstants.Kernel")]
    [InlineData("Topology", "names a member Nest generates on 'Net'")]
    [InlineData("SeedFlops", "names a member Nest generates on 'Net'")]
    public void AReservedLayerNameIsReportedOnItsLine(string name, string problem)
    {
        var result = GeneratorHarness.Run(Seed(
            $"    [Dense(20)] public partial MaskedLinear {name} {{ get; }}\n    [Dense(10)] public partial MaskedLinear Out {{ get; }}"));

        var d = Single(result, "NEST0026", "Dense(20)");
        Assert.Equal($"Layer '{name}': its name {problem}; rename the property", Message(d));
    }

    [Theory]
    [InlineData("Fc1", "fc1", "_fc1")]
    [InlineData("HiddenLayer", "Hidden_Layer", "hidden_layer")]
    public void LayersThatShareAGeneratedNameAreReported(string first, string second, string shared)
    {
        var result = GeneratorHarness.Run(Seed(
            $"    [Dense(20)] public partial MaskedLinear {first} {{ get; }}\n    [Dense(20)] public partial MaskedLinear {second} {{ get; }}\n" +
            "    [Dense(10)] public partial MaskedLinear Out { get; }"));

        var d = Assert.Single(result.Diagnostics, d => d.Id == "NEST0027");
        Assert.Equal($"Layers '{first}' and '{second}' would share the generated name '{shared}'; rename one of them",
            Message(d));
        Assert.Empty(result.CompileErrors);
    }

    [Theory]
    [InlineData("    public Nest.Runtime.SeedTopology Topology => null!;", "a member 'Topology'", "Topology")]
    [InlineData("    public static class LayerConstants { }", "a member 'LayerConstants'", "LayerConstants")]
    [InlineData("    public Net(long seed) { }", "a constructor", "Net")]
    public void AUserMemberNestGeneratesIsReported(string member, string what, string locationText)
    {
        var result = GeneratorHarness.Run(Seed(Plain + "\n" + member));

        var d = Single(result, "NEST0028", locationText);
        Assert.Equal($"Seed 'Net' declares {what}, which Nest generates; remove or rename it", Message(d));
    }

    [Theory]
    [InlineData("public sealed partial record class Net", "it is a record")]
    [InlineData("file sealed partial class Net", "it is file-local")]
    [InlineData("public sealed partial class Net(int x)", "it has a primary constructor")]
    [InlineData("public sealed partial class @object", "its name is a C# keyword")]
    public void AnUnsupportedDeclarationFormIsReported(string header, string why)
    {
        var result = GeneratorHarness.Run(Seed(Plain, header: header));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("NEST0018", d.Id);
        Assert.EndsWith($"({why})", Message(d));
    }
}
