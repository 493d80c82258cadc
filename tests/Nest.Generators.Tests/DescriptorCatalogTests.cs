using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Nest.Generators.Tests;

/// <summary>The descriptors, the release tracking file and the docs stay in step.</summary>
public class DescriptorCatalogTests
{
    static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    static string RepositoryFile(string relative, [System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", relative));

    [Fact]
    public void IdsAreUniqueAndNumberedWithoutGaps()
    {
        var ids = Descriptors.Select(d => d.Id).OrderBy(i => i).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => $"NEST{i:0000}"), ids);
    }

    [Fact]
    public void EveryIdIsInTheReleaseTrackingFileAndTheDocs()
    {
        var releases = RepositoryFile("Nest.Generators/AnalyzerReleases.Unshipped.md");
        var docs = RepositoryFile("docs/diagnostics.md");
        Assert.All(Descriptors, d =>
        {
            Assert.Contains(d.Id + " | Nest.Seed | Error | " + d.Title, releases);
            Assert.Contains($"<a id=\"{d.Id.ToLowerInvariant()}\"></a>{d.Id}", docs);
            Assert.EndsWith("#" + d.Id.ToLowerInvariant(), d.HelpLinkUri);
        });
    }
}
