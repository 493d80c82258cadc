using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Nest.Runtime.Reports;

namespace Nest.Runtime.Tests;

/// <summary>report.json through its typed record: a report written before the record existed (by the command line's
/// own object) reads and writes back field for field, and what is not a report is refused naming the file.</summary>
public sealed class SynthesisReportTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static string Stored([CallerFilePath] string here = "") =>
        Path.GetFullPath(
            Path.Combine(Path.GetDirectoryName(here)!, "../../bench/results/suite/tabular-tabular64-s0.json"));

    [Fact]
    public void AStoredReportReadsAndWritesBackTheSameFields()
    {
        var original = JsonNode.Parse(File.ReadAllText(Stored()))!.AsObject();

        var written = JsonNode.Parse(SynthesisReport.Read(Stored()).ToJson())!.AsObject();

        Assert.Equal(SynthesisReport.CurrentVersion, (int)written["formatVersion"]!);
        // Reports of older formats have no version; a report of this one has it: compared apart, above.
        written.Remove("formatVersion");
        original.Remove("formatVersion");
        // Schedule options added since the report was written are written back (at their type's default), and the
        // fields removed since are dropped: nothing else.
        var removed = SynthesisReport.RemovedFields.Select(f => f + ": only stored").ToHashSet();
        Assert.Equal([], Differences(original, written, "")
            .Where(d => !(d.StartsWith(".schedule.") && d.EndsWith(": only written")))
            .Where(d => !removed.Contains(Regex.Replace(d, @"\[\d+\]", "[]")))
            .Take(10));
    }

    // The paths where two JSON trees differ, for a failure that says where.
    static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                foreach (var d in !x.ContainsKey(key) ? [$"{path}.{key}: only written"] : !y.ContainsKey(key)
                    ? [$"{path}.{key}: only stored"]
                         : Differences(x[key], y[key], $"{path}.{key}"))
                    yield return d;
        }
        else if (a is JsonArray u && b is JsonArray v && u.Count == v.Count)
        {
            for (int i = 0; i < u.Count; i++)
                foreach (var d in Differences(u[i], v[i], $"{path}[{i}]")) yield return d;
        }
        else if (!JsonNode.DeepEquals(a, b)) yield return $"{path}: {a?.ToJsonString()} -> {b?.ToJsonString()}";
    }

    [Fact]
    public void TheMarkdownOfAStoredReportGivesItsFinalErrorAndEachLayer()
    {
        var stored = JsonNode.Parse(File.ReadAllText(Stored()))!;
        var test = (double)stored["final"]!["testError"]! * 100;

        var markdown = ReportMarkdown.Write(SynthesisReport.Read(Stored()), Nest.Samples.Seeds.Tabular64.Topology);

        Assert.Contains(FormattableString.Invariant($"Test error **{test:F2}%**"), markdown);
        foreach (var layer in stored["final"]!["layers"]!.AsArray())
            Assert.Contains($"| {(string)layer!["name"]!} |", markdown);
    }

    [Fact]
    public void ANewerFormatIsRefusedNamingTheFile()
    {
        var path = Path.Combine(_folder, "report.json");
        File.WriteAllText(path, """{ "formatVersion": 99, "history": [ { "step": 0, "phase": "seed" } ] }""");

        var error = Assert.Throws<InvalidDataException>(() => SynthesisReport.Read(path));
        Assert.Equal($"{path}: report format 99 is newer than this build reads (1)", error.Message);
    }

    [Fact]
    public void JsonThatIsNotAReportIsRefusedNamingTheFile()
    {
        var path = Path.Combine(_folder, "report.json");
        File.WriteAllText(path, """{ "seed": "x" }""");

        var error = Assert.Throws<InvalidDataException>(() => SynthesisReport.Read(path));
        Assert.Equal($"{path}: not a synthesis report (no history)", error.Message);
    }
}
