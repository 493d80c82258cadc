using Nest.Runtime.Reports;

namespace Nest.Cli.Commands;

/// <summary><c>nest plot --report FILE</c>: the report's plots (<see cref="ReportPlots"/>) drawn again from a
/// <c>report.json</c>, e.g. one kept under bench/results from an earlier run.</summary>
public static class PlotCommand
{
    public static int Run(Arguments args, TextWriter output)
    {
        var path =
            args.String("report") ?? throw new UsageException("--report FILE (a synthesis's report.json) is required");
        var folder = args.String("out") ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        args.RejectUnknown();
        if (folder.Trim().Length == 0) throw new UsageException("--out must name a folder (got an empty path)");
        if (Directory.Exists(path))
            throw new CommandFailedException($"'{path}' is a folder; --report takes a synthesis's report.json");
        SynthesisReport report;
        try
        {
            report = SynthesisReport.Read(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(e is FileNotFoundException ? $"'{path}' not found"
                : $"'{path}' is not a readable synthesis report ({e.Message})");
        }
        try
        {
            ReportPlots.Write(folder, report);
        }
        catch (InvalidDataException e)
        {
            throw new CommandFailedException($"'{path}' is not a readable synthesis report ({e.Message})");
        }
        foreach (var name in ReportPlots.FileNames) output.WriteLine(Path.Combine(folder, name));
        return 0;
    }
}
