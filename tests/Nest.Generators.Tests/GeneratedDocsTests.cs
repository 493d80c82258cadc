using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nest.Generators.Tests;

/// <summary>Generated code fits any project: with documentation comments diagnosed (GenerateDocumentationFile),
/// nullable annotations on and warnings as errors, the generated files raise no warning at all.</summary>
public class GeneratedDocsTests
{
    [Theory]
    [InlineData("LeNet300")]
    [InlineData("LeNet5")]
    [InlineData("AlexNet")]
    public void GeneratedCodeRaisesNoWarningWithDocumentationAndNullableOn(string seed)
    {
        var source = seed switch { "LeNet300" => Seeds.LeNet300, "LeNet5" => Seeds.LeNet5, _ => Seeds.AlexNet };
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation(source)
            .WithOptions(
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error))
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, options, path: seed + ".cs"));
        var driver = CSharpGeneratorDriver.Create([new SeedGenerator().AsSourceGenerator()], parseOptions: options);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var generated = output.GetDiagnostics()
            .Where(d =>
                d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true)
            .Select(d => $"{d.Id} {d.GetMessage()} at {d.Location.GetLineSpan()}")
            .ToList();
        Assert.True(generated.Count == 0, string.Join("\n", generated));
    }
}
