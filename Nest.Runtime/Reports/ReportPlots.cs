using Nest.Runtime.Synthesis;
using ScottPlot;

namespace Nest.Runtime.Reports;

/// <summary>
/// The synthesis's two pictures, as PNG beside the report: connections over the run (the paper's Fig. 12 shape: up
/// in growth, down in pruning) and validation error over the run. Each phase has its colour; a step that was
/// undone is drawn as a hollow marker off the line (its network was not kept).
/// </summary>
public static class ReportPlots
{
    /// <summary>The file names written, in the order written.</summary>
    public static readonly string[] FileNames = ["connections.png", "validation-error.png"];

    /// <summary>Writes both plots of a report (as <c>nest plot</c> draws them again) into <paramref
    /// name="folder"/>.</summary> <exception cref="InvalidDataException">A step's phase is not one Nest
    /// knows.</exception>
    public static void Write(string folder, SynthesisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var history = report.History.Select(h => new SynthesisStep(h.Step,
            Enum.TryParse<SynthesisPhase>(h.Phase, ignoreCase: true, out var phase) ? phase
                : throw new InvalidDataException($"unknown phase '{h.Phase}' at step {h.Step}"),
            h.Connections, h.Parameters, h.Flops, h.ValidationError, 0, 0, h.Accepted, h.Seconds)).ToList();
        Write(folder, report.Seed.Length > 0 ? report.Seed : "synthesis", history);
    }

    /// <summary>Writes both plots into <paramref name="folder"/> (each through a temporary file and a
    /// rename).</summary>
    public static void Write(string folder, string title, IReadOnlyList<SynthesisStep> history)
    {
        Directory.CreateDirectory(folder);
        Save(Plot(title + ": connections over the run", "live connections", history, h => h.Connections),
            Path.Combine(folder, FileNames[0]));
        Save(Plot(title + ": validation error over the run", "validation error (%)", history, h =>
            h.ValidationError * 100), Path.Combine(folder, FileNames[1]));
    }

    static Plot Plot(string title, string label, IReadOnlyList<SynthesisStep> history, Func<SynthesisStep,
        double> value)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var kept = history.Where(h => h.Accepted).ToList();
        // The kept network's path, one line through all phases, then each phase's markers on it.
        var path = plot.Add.ScatterLine(kept.Select(h => (double)h.Step).ToArray(), kept.Select(value).ToArray());
        path.Color = Colors.Gray;
        foreach (var (phase, index) in Enum.GetValues<SynthesisPhase>().Select((p, i) => (p, i)))
        {
            var steps = kept.Where(h => h.Phase == phase).ToList();
            if (steps.Count == 0) continue;
            var markers =
                plot.Add.ScatterPoints(steps.Select(h => (double)h.Step).ToArray(), steps.Select(value).ToArray());
            markers.Color = palette.GetColor(index);
            markers.MarkerSize = 8;
            markers.LegendText = phase.ToString().ToLowerInvariant();
        }
        var undone = history.Where(h => !h.Accepted).ToList();
        if (undone.Count > 0)
        {
            var markers =
                plot.Add.ScatterPoints(undone.Select(h => (double)h.Step).ToArray(), undone.Select(value).ToArray());
            markers.MarkerShape = MarkerShape.OpenCircle;
            markers.Color = Colors.Black;
            markers.MarkerSize = 7;
            markers.LegendText = "undone";
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(label);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static void Save(Plot plot, string path)
    {
        Nest.Runtime.AtomicFile.Write(path, plot.GetImageBytes(900, 500, ImageFormat.Png));
    }
}
