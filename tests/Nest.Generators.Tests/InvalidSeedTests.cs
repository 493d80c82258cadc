namespace Nest.Generators.Tests;

public class InvalidSeedTests
{
    [Fact]
    public void InvalidSeedGetsThrowingPropertiesAndNoModule()
    {
        var result = GeneratorHarness.Run("""
            using Nest.Dsl;
            using Nest.Runtime;

            [SeedNetwork(Input = new[] { 784 }, Classes = 10)]
            public sealed partial class Net
            {
                [Dense(100, Density = 2)] public partial MaskedLinear Hidden { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            }
            """);
        Assert.Equal("NEST0004", Assert.Single(result.Diagnostics).Id);
        var source = Assert.Single(result.Sources).Value;
        Assert.Contains("public partial global::Nest.Runtime.MaskedLinear Hidden { get => throw new global::System.InvalidOperationException(", source);
        Assert.DoesNotContain("Module<", source);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void ReportsEveryIndependentErrorOfOneSeed()
    {
        var result = GeneratorHarness.Run("""
            using Nest.Dsl;
            using Nest.Runtime;

            [SeedNetwork(Input = new[] { 784 }, Classes = 10)]
            public sealed partial class Net
            {
                [Dense(100, Density = 2, MaxWidth = -1)] public partial MaskedLinear Hidden { get; }
                [Dropout(3)] public partial Dropout Drop { get; }
                [Dense(10, Density = 0)] public partial MaskedLinear Out { get; }
            }
            """);
        Assert.Equal(new[] { "NEST0003", "NEST0004", "NEST0004", "NEST0020" },
            result.Diagnostics.Select(d => d.Id).OrderBy(i => i));
    }

    [Fact]
    public void ShapeErrorDoesNotCascadeToLaterLayers()
    {
        var result = GeneratorHarness.Run("""
            using Nest.Dsl;
            using Nest.Runtime;

            [SeedNetwork(Input = new[] { 1, 8, 8 }, Classes = 10)]
            public sealed partial class Net
            {
                [Conv2d(4, Kernel = 9)] public partial MaskedConv2d Conv { get; }
                [MaxPool2d(2)] public partial MaxPool Pool { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            }
            """);
        Assert.Equal("NEST0005", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void DensityErrorDoesNotHideALaterShapeError()
    {
        var result = GeneratorHarness.Run("""
            using Nest.Dsl;
            using Nest.Runtime;

            [SeedNetwork(Input = new[] { 1, 28, 28 }, Classes = 10)]
            public sealed partial class Net
            {
                [Conv2d(20, Kernel = 5, Density = 1.5)] public partial MaskedConv2d Conv1 { get; }
                [MaxPool2d(2)] public partial MaxPool Pool1 { get; }
                [Conv2d(50, Kernel = 13)] public partial MaskedConv2d Conv2 { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(10)] public partial MaskedLinear Out { get; }
            }
            """);
        Assert.Equal(new[] { "NEST0004", "NEST0005" }, result.Diagnostics.Select(d => d.Id).OrderBy(i => i));
    }
}
