using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Nest.Generators.Tests;

public class SeedRegistryTests
{
    const string Other = """
        using Nest.Dsl;
        using Nest.Runtime;
        namespace Other.Place;
        [SeedNetwork(Input = new[] { 8 }, Classes = 3)]
        public sealed partial class LeNet300
        {
            [Dense(4)] public partial MaskedLinear Hidden { get; }
            [Dense(3)] public partial MaskedLinear Logits { get; }
        }
        """;

    [Fact]
    public void RegistryListsEveryValidSeedOfTheAssembly()
    {
        var result = GeneratorHarness.Run(Seeds.LeNet300, Seeds.LeNet5);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        Snapshot.Verify(result.Sources["Nest.SeedRegistration.g.cs"], "Nest.SeedRegistration.g.cs");
    }

    [Fact]
    public void SeedWithErrorsIsNotRegistered()
    {
        var broken = Other.Replace("[Dense(3)]", "[Dense(4)]"); // the output layer must have Classes units
        var result = GeneratorHarness.Run(broken);

        Assert.NotEmpty(result.Diagnostics);
        Assert.DoesNotContain("Nest.SeedRegistration.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void LoadingTheAssemblyRegistersItsSeedsUnderTheirFullNames()
    {
        var result = GeneratorHarness.Run(Seeds.LeNet300, Other);
        Assert.Empty(result.CompileErrors);
        using var image = new MemoryStream();
        var emit = result.Output.Emit(image);
        Assert.True(emit.Success,
            string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        var assembly = Assembly.Load(image.ToArray());
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

        var registered = Nest.Runtime.SeedRegistry.All.Where(e => e.Create.Method.Module.Assembly == assembly).ToList();
        Assert.Equal(new[] { "Nest.Samples.Seeds.LeNet300", "Other.Place.LeNet300" },
            registered.Select(e => e.FullName).Order());
        var other = registered.Single(e => e.FullName == "Other.Place.LeNet300");
        Assert.Equal(8, other.Topology.InputShape.Single());
        var network = other.Create(0, true);
        Assert.True(network.IsDenseReference);
        ((IDisposable)network).Dispose();
    }
}
