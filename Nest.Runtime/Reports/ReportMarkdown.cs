using System.Globalization;
using System.Text;
using Nest.Runtime;
using Nest.Runtime.Training;

namespace Nest.Runtime.Reports;

/// <summary>
/// The human-readable twin of a synthesis's <c>report.json</c>: the final network against the dense
/// reference, per layer (shape, live connections, density, parameters, FLOPs) and in total, and the
/// connection count of each phase (up in growth, down in pruning).
/// </summary>
public static class ReportMarkdown
{
    /// <summary>A report as Markdown, the per-layer reference figures from <paramref name="reference"/> (the seed's
    /// topology).</summary>
    public static string Write(SynthesisReport report, SeedTopology reference, IEnumerable<string>? images = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(reference);
        var final = report.Final ?? throw new ArgumentException("the report has no final network", nameof(report));
        var cost = new NetworkCost(final.Connections, final.Parameters, final.Flops, final.Layers);
        return Write(report.Seed, report.Command ?? "", reference, cost, final.TestError, final.ValidationError,
            report.History.Select(h => (h.Phase, h.Connections, h.Accepted)), images);
    }

    /// <summary>The report as Markdown.</summary>
    /// <param name="title">The run's name (the seed).</param>
    /// <param name="command">The command line that produced it.</param>
    /// <param name="reference">The seed's topology: each layer's dense-reference parameters and FLOPs.</param>
    /// <param name="final">The final network's cost.</param>
    /// <param name="testError">The final network's test error.</param>
    /// <param name="validationError">Its validation error.</param>
    /// <param name="connectionsByStep">(phase, connections, kept) of each step of the history, in order.</param>
    /// <param name="images">Pictures beside the report (file names), shown at its end.</param>
    public static string Write(string title, string command, SeedTopology reference, NetworkCost final,
        double testError, double validationError,
        IEnumerable<(string Phase, long Connections, bool Kept)> connectionsByStep, IEnumerable<string>? images = null)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# Synthesis report: {title}");
        md.AppendLine();
        md.AppendLine(c, $"`{command}`");
        md.AppendLine();
        md.AppendLine(c,
            $"Test error **{Percent(testError, 2)}** (validation {Percent(validationError, 2)}); " +
            $"{final.Parameters:N0} parameters ({Ratio(reference.ReferenceParameters, final.Parameters)} fewer than " +
            $"the dense reference's {reference.ReferenceParameters:N0}), {final.Flops:N0} FLOPs " +
            $"({Ratio(reference.ReferenceFlops, final.Flops)} fewer than {reference.ReferenceFlops:N0}).");
        md.AppendLine();
        md.AppendLine(
            "| layer | shape | live connections | density | area | parameters (reference) | FLOPs (reference) |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var layer in final.Layers)
        {
            var description = reference.Layers.FirstOrDefault(l => l.Name == layer.Name);
            var area = layer.AreaDensity is { } a ? Percent(a, 0) : "-";
            // Formatted as the rest of the report, in the invariant culture (a plain interpolation would take the
            // machine's).
            var parameters =
                description is null ? string.Create(c, $"{layer.Parameters:N0}")
                    : string.Create(c, $"{layer.Parameters:N0} ({description.ReferenceParameters:N0})");
            var flops =
                description is null ? string.Create(c, $"{layer.Flops:N0}")
                    : string.Create(c, $"{layer.Flops:N0} ({description.ReferenceFlops:N0})");
            md.AppendLine(c,
                $"| {layer.Name} | {string.Join(" x ", layer.Shape)} | {layer.Connections:N0} | " +
                $"{Percent(layer.Density, 1)} | {area} | {parameters} | {flops} |");
        }
        md.AppendLine(c,
            $"| total | | {final.Connections:N0} | | | {final.Parameters:N0} ({reference.ReferenceParameters:N0}) | " +
            $"{final.Flops:N0} ({reference.ReferenceFlops:N0}) |");
        md.AppendLine();
        // The paper's Fig. 12 in numbers: the connection count at the end of each phase.
        // An undone step's count is of the network it tried, so a phase ends at its last kept step.
        md.AppendLine("| phase | steps (kept) | connections at its end |");
        md.AppendLine("|---|---|---|");
        foreach (var phase in connectionsByStep.GroupBy(s => s.Phase))
        {
            var kept = phase.Where(s => s.Kept).ToList();
            var end = kept.Count > 0 ? kept[^1].Connections.ToString("N0", c) : "-";
            md.AppendLine(c, $"| {phase.Key} | {phase.Count()} ({kept.Count}) | {end} |");
        }
        foreach (var image in images ?? [])
        {
            md.AppendLine();
            md.AppendLine(c, $"![{Path.GetFileNameWithoutExtension(image)}]({image})");
        }
        return md.ToString();
    }

    // "1.23%", as the results tables write it (the invariant culture's P format puts a space before the sign).
    static string Percent(double value, int decimals) =>
        (value * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    static string Ratio(long reference, long final) =>
        final > 0 ? ((double)reference / final).ToString("F1", CultureInfo.InvariantCulture) + "x" : "-";
}
