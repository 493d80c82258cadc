using System.Text.Json;
using Nest.Runtime.Synthesis;

namespace Nest.Cli.Commands;

/// <summary><c>nest plot --report FILE</c>: the report's plots (<see cref="ReportPlots"/>) drawn again from a
/// <c>report.json</c>, e.g. one kept under bench/results from an earlier run.</summary>
public static class PlotCommand
{
    public static int Run(Arguments args, TextWriter output)
    {
        var path = args.String("report") ?? throw new UsageException("--report FILE (a synthesis's report.json) is required");
        var folder = args.String("out") ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        args.RejectUnknown();
        if (folder.Trim().Length == 0) throw new UsageException("--out must name a folder (got an empty path)");
        if (Directory.Exists(path))
            throw new CommandFailedException($"'{path}' is a folder; --report takes a synthesis's report.json");
        string seed;
        List<SynthesisStep> history;
        try
        {
            using var report = JsonDocument.Parse(File.ReadAllText(path));
            seed = report.RootElement.GetProperty("seed").GetString() ?? "synthesis";
            history = report.RootElement.GetProperty("history").EnumerateArray().Select(h => new SynthesisStep(
                h.GetProperty("step").GetInt32(), Enum.Parse<SynthesisPhase>(h.GetProperty("phase").GetString()!, ignoreCase: true),
                h.GetProperty("connections").GetInt64(), h.GetProperty("parameters").GetInt64(), h.GetProperty("flops").GetInt64(),
                h.GetProperty("validationError").GetDouble(), 0, 0, h.GetProperty("accepted").GetBoolean(), h.GetProperty("seconds").GetDouble())).ToList();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new CommandFailedException($"'{path}' is not a readable synthesis report ({e.Message})");
        }
        if (history.Count == 0) throw new CommandFailedException($"'{path}' has an empty history");
        ReportPlots.Write(folder, seed, history);
        foreach (var name in ReportPlots.FileNames) output.WriteLine(Path.Combine(folder, name));
        return 0;
    }
}
