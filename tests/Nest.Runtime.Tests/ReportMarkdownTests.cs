using Nest.Runtime.Reports;
using static System.FormattableString;
using Nest.Runtime.Training;
using Nest.Cli.Commands;
using Nest.Cli;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

public class ReportMarkdownTests
{
    [Fact]
    public void TheMarkdownReportListsEachLayerAgainstItsReferenceAndEachPhasesLastKeptCount()
    {
        var entry = SeedCatalog.Find("lenet300");
        using var network = (IDisposable)entry.Create(0, false);
        var cost = NetworkCost.Measure((ISeedNetwork)network);
        var history =
            new[] { ("seed", 10_088L, true), ("grow", 261_000L, true), ("prune", 20_000L, true),
                ("prune", 9_000L, false), ("final", 20_000L, true) };

        var markdown =
            ReportMarkdown.Write("lenet300", "nest synthesize --seed lenet300", entry.Topology, cost, 0.0123, 0.011,
                history);

        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var layer in entry.Topology.Layers.Where(l => l.ReferenceParameters > 0))
            Assert.Contains(lines, l =>
                l.StartsWith($"| {layer.Name} |") && l.Contains(Invariant($"({layer.ReferenceParameters:N0})"))
                    && l.Contains(Invariant($"({layer.ReferenceFlops:N0})")));
        Assert.Contains(lines, l =>
            l.StartsWith("| total |")
                && l.Contains(Invariant($"{cost.Parameters:N0} ({entry.Topology.ReferenceParameters:N0})")));
        Assert.Contains("| prune | 2 (1) | 20,000 |", lines);   // the undone step's 9,000 is not where pruning ended
        Assert.Contains("| grow | 1 (1) | 261,000 |", lines);
        Assert.Contains("Test error **1.23%**", markdown);
    }
}
