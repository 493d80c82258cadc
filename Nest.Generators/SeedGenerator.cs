using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Nest.Generators;

/// <summary>
/// Entry point: finds classes marked [SeedNetwork], turns each into a value model plus diagnostics in
/// one static transform (parse, then analyse), and splits the two so that the source output only
/// re-runs when the model changes and diagnostics are reported from a pipeline of their own.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SeedGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.SeedNetworkAttribute,
                static (node, _) =>
                    node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax,
                static (ctx, ct) => Transform(ctx, ct))
            .WithTrackingName(TrackingNames.SeedResults);

        var models = results
            .Select(static (r, _) => r.Model)
            .Where(static m => m is not null)
            .WithTrackingName(TrackingNames.SeedModels);

        var diagnostics = results
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(TrackingNames.SeedDiagnostics);

        context.RegisterSourceOutput(models, static (spc, model) =>
            spc.AddSource(model!.HintName, SeedEmitter.Emit(model)));

        // One registry per assembly, of the valid seeds' names only, and only where the runtime that takes it is
        // referenced.
        var registry = models
            .Where(static m => m!.IsValid)
            .Select(static (m, _) => new RegisteredSeed(m!.Namespace, m.ClassName))
            .Collect()
            .Select(static (seeds, _) => seeds.ToEquatableArray())
            .WithTrackingName(TrackingNames.SeedRegistry);
        var hasRuntime = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName(KnownNames.SeedRegistry) is not null);
        context.RegisterSourceOutput(registry.Combine(hasRuntime), static (spc, pair) =>
        {
            if (pair.Left.Count > 0 && pair.Right)
                spc.AddSource(RegistryEmitter.HintName, RegistryEmitter.Emit(pair.Left));
        });

        // Locations are rebuilt against the current syntax trees so that they are real source
        // locations (#pragma warning disable and editors see them); only this cheap step re-runs
        // on every compilation, the models stay cached.
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
        {
            var (list, compilation) = pair;
            foreach (var d in list) spc.ReportDiagnostic(d.ToDiagnostic(compilation));
        });
    }

    static SeedResult Transform(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken ct)
    {
        var diagnostics = new List<DiagnosticInfo>();
        try
        {
            var declaration = SeedParser.Parse(context, diagnostics, ct);
            ct.ThrowIfCancellationRequested();
            var model = declaration is null ? null : SeedAnalyzer.Analyze(declaration, diagnostics);
            return new SeedResult(model, diagnostics.ToEquatableArray());
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            // Bad input must end in a diagnostic, never in a generator crash (CS8785 with no hint of
            // which seed); a bug of ours still surfaces, as an error naming the seed.
            var location = LocationInfo.From(context.TargetSymbol.Locations.FirstOrDefault());
            return new SeedResult(null, new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.GeneratorFailure, location, context.TargetSymbol.Name,
                    e.GetType().Name + ": " + e.Message),
            }.ToEquatableArray());
        }
    }
}
