namespace Nest.Generators;

/// <summary>Names of the pipeline steps, so tests can assert each one is cached.</summary>
internal static class TrackingNames
{
    /// <summary>Seed classes parsed and analysed into a model plus diagnostics.</summary>
    public const string SeedResults = nameof(SeedResults);
    /// <summary>The source models of seeds (no locations, no symbols).</summary>
    public const string SeedModels = nameof(SeedModels);
    /// <summary>The diagnostics of seeds, reported from their own pipeline.</summary>
    public const string SeedDiagnostics = nameof(SeedDiagnostics);
    /// <summary>The names of an assembly's valid seeds, for its registry.</summary>
    public const string SeedRegistry = nameof(SeedRegistry);
}
