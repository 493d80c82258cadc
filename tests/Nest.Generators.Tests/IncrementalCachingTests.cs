using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nest.Generators.Tests;

public class IncrementalCachingTests
{
    [Fact]
    public void UnrelatedEditLeavesEveryTrackedStepCached()
    {
        var compilation = GeneratorHarness.Compilation(Seeds.LeNet5, Seeds.LeNet300);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Other; public static class Unrelated { public const int Answer = 42; }",
                GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in new[] { TrackingNames.SeedResults, TrackingNames.SeedModels, TrackingNames.SeedDiagnostics,
            TrackingNames.SeedRegistry })
        {
            var steps = result.TrackedSteps[name];
            Assert.NotEmpty(steps);
            var reasons = steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.All(reasons, r =>
                Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"{name}: {r}"));
        }
        // The source outputs of both seeds and the registry are cached; the diagnostics output re-runs by design
        // (it rebuilds locations against the new compilation) but reports the same, so it is Unchanged.
        var outputs =
            result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o =>
                o.Reason).ToList();
        Assert.Equal(3, outputs.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.All(outputs, r =>
            Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void EditingOneSeedRegeneratesOnlyThatSeed()
    {
        var compilation = GeneratorHarness.Compilation(Seeds.LeNet5, Seeds.LeNet300);
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);

        var old = compilation.SyntaxTrees.Single(t => t.FilePath == "Seed1.cs");
        var edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(
            Seeds.LeNet300.Replace("Density = 0.5", "Density = 0.25"), GeneratorHarness.ParseOptions,
                path: "Seed1.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var models =
            result.TrackedSteps[TrackingNames.SeedModels].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, models);
        Assert.Contains(IncrementalStepRunReason.Cached, models);
    }
}
