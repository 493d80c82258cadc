using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static TorchSharp.torch;

namespace Nest.Generators.Tests;

/// <summary>
/// Random seed declarations (<see cref="FuzzSeed"/>) through the generator: it never throws (no AD0001 / CS8785, no
/// NEST0025); each declaration with one known mistake gets that NEST error on the line of the mistake; each valid one
/// gets no diagnostic, compiles, loads, and runs a forward pass to [batch, classes]. NEST_FUZZ_COUNT sets how many
/// (default 2,000; docs/reliability.md reports a larger run).
/// </summary>
public class GeneratorFuzzTests
{
    static int Count => int.TryParse(Environment.GetEnvironmentVariable("NEST_FUZZ_COUNT"), out var n) ? n : 2000;

    [Fact]
    public void RandomSeedDeclarationsNeverCrashTheGeneratorAndEachGetsItsOutcome()
    {
        var random = new Random(20261130);
        var kinds = new Dictionary<string, int>();
        int forwardPasses = 0;
        var failures = new List<string>();
        for (int i = 0; i < Count && failures.Count < 5; i++)
        {
            var seed = FuzzSeed.Create(random, i);
            kinds[seed.Kind] = kinds.GetValueOrDefault(seed.Kind) + 1;
            var compilation = GeneratorHarness.Compilation(seed.Source);
            var driver =
                GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output,
                    out var driverDiagnostics);
            var run = driver.GetRunResult().Results.Single();
            string Fail(string why) => $"{seed.Kind}: {why}\n{seed.Source}";
            if (run.Exception is not null || driverDiagnostics.Any(d => d.Id is "CS8785" or "AD0001"))
            {
                failures.Add(
                    Fail($"the generator threw: {run.Exception?.Message ?? string.Join("; ", driverDiagnostics)}"));
                continue;
            }
            var nest = run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (nest.Any(d => d.Id == "NEST0025"))
                { failures.Add(Fail("NEST0025: " + nest.First(d => d.Id == "NEST0025").GetMessage())); continue; }
            if (nest.Any(d => !d.Location.IsInSource))
                { failures.Add(Fail("a NEST error without a source location")); continue; }
            // Errors in generated code are the generator's fault, whatever the input.
            var generatedErrors =
                output.GetDiagnostics().Where(d =>
                    d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } t
                        && t.FilePath.EndsWith(".g.cs")).ToList();
            if (generatedErrors.Count > 0)
                { failures.Add(
                Fail("errors in generated code: " + string.Join("; ", generatedErrors.Take(3)))); continue; }

            if (seed.ExpectedId is { } id)
            {
                var lines =
                    nest.Where(d => d.Id == id).Select(d => d.Location.GetLineSpan().StartLinePosition.Line).ToList();
                if (!lines.Any(seed.ExpectedLines.Contains))
                    failures.Add(
                        Fail($"expected {id} on line(s) {string.Join(", ", seed.ExpectedLines.Select(l => l + 1))}; got {string.Join("; ", nest.Select(d => $"{d.Id} line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage()}"))}"));
            }
            else if (seed.Valid)
            {
                var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                if (nest.Count > 0 || errors.Count > 0)
                    { failures.Add(Fail("valid, but: " + string.Join("; ", nest.Concat(errors).Take(3)))); continue; }
                if (Forward(output, seed) is { } problem) failures.Add(Fail(problem));
                else forwardPasses++;
            }
        }
        Console.WriteLine($"fuzz: {Count} declarations ({string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Value} {k.Key}"))}); {forwardPasses} forward passes");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(forwardPasses > 0);
    }

    // Emits the compilation, loads it apart (collectible), builds the seed and runs two random examples through it.
    static string? Forward(Compilation output, FuzzSeed seed)
    {
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        if (!emitted.Success)
            return "emit failed: " + string.Join("; ",
            emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3));
        var context = new AssemblyLoadContext(seed.Name, isCollectible: true);
        try
        {
            image.Position = 0;
            var type = context.LoadFromStream(image).GetType(seed.FullName)!;
            using var module = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type, 1L)!;
            using var scope = NewDisposeScope();
            var logits = module.forward(randn([2, .. seed.Input.Select(d => (long)d)]));
            return logits.shape.SequenceEqual(new long[] { 2, seed.Classes }) ? null
                : $"forward gave [{string.Join(", ", logits.shape)}], not [2, {seed.Classes}]";
        }
        catch (Exception e)
        {
            return "forward pass failed: " + e;
        }
        finally
        {
            context.Unload();
        }
    }
}
