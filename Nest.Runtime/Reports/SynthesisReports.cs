using System.Text;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Reports;

/// <summary>
/// Turns a finished synthesis into its report and writes the report's files: what the command line does after a run,
/// for any program that runs <see cref="Synthesizer"/> itself.
/// </summary>
public static class SynthesisReports
{
    /// <summary>The files <see cref="Write"/> writes besides the plots (<see cref="ReportPlots.FileNames"/>).</summary>
    public static readonly string[] FileNames = ["report.json", "report.md"];

    /// <summary>The report of <paramref name="result"/>, the final network measured from
    /// <paramref name="network"/>.</summary>
    /// <param name="result">What <see cref="Synthesizer.Run"/> returned.</param>
    /// <param name="network">The synthesized network (the seed the synthesizer ran on).</param>
    /// <param name="schedule">The schedule it ran under.</param>
    /// <param name="testError">The final network's test error, measured once (never used to decide anything).</param>
    /// <param name="dataset">The data it ran on, when known.</param>
    /// <param name="command">The command that ran it, when a command did.</param>
    /// <param name="wallSeconds">The whole program's seconds; the synthesis's own when not given.</param>
    public static SynthesisReport Create(SynthesisResult result, ISeedNetwork network, SynthesisSchedule schedule,
        double testError, DatasetReport? dataset = null, string? command = null, double? wallSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(schedule);
        if (result.History.Count == 0) throw new ArgumentException("the synthesis has no steps", nameof(result));
        var reference = network.Topology;
        var cost = NetworkCost.Measure(network);
        var final = result.History[^1];
        var training = schedule.Training;
        return new SynthesisReport
        {
            Seed = reference.Name,
            Network = reference.Name,
            Command = command,
            Dataset = dataset,
            Kernels = result.Kernels,
            Device = result.Device,
            Reference = new CostReport(reference.ReferenceParameters, reference.ReferenceFlops),
            Final = new FinalReport(cost.Parameters, cost.Connections, cost.Flops, testError, final.ValidationError,
                cost.Layers),
            Compression = new CompressionReport((double)reference.ReferenceParameters / cost.Parameters,
                (double)reference.ReferenceFlops / cost.Flops),
            TargetValidationError = result.TargetError,
            LearningRate = result.LearningRate,
            GrowthStop = result.GrowthStop,
            PruneStop = result.PruneStop,
            // Per phase from the history's step times; per kind of work as measured in the process that ran it.
            Seconds = new SecondsReport(
                result.History
                    .Select((h, i) => (h.Phase, Seconds: h.Seconds - (i == 0 ? 0 : result.History[i - 1].Seconds)))
                    .GroupBy(p => Lower(p.Phase)).ToDictionary(g => g.Key, g => Math.Round(g.Sum(p => p.Seconds), 1)),
                result.WorkSeconds),
            Divergences = result.Divergences,
            History = result.History.Select(h => new StepReport(h.Step, Lower(h.Phase), h.Connections, h.Parameters,
                h.Flops, h.ValidationError, h.TestError, h.NeuronsAdded, h.NeuronsRemoved, h.Accepted, h.Seconds,
                h.Layers?.Select(l => new StepLayerReport(l.Name, l.Connections, l.Flops, l.AreaDensity)).ToList(),
                h.ResidentBytes)).ToList(),
            Schedule = new ScheduleReport(schedule.RateCheckBatches, schedule.SeedEpochs, schedule.ConvergeEpochs,
                schedule.Growth, schedule.Pruning,
                new AreaReport(schedule.Area.Fraction, Lower(schedule.Area.Score), schedule.Area.TaylorBatches,
                    schedule.Area.PairMaxInputs, schedule.Area.TailSteps, schedule.Area.StopAtFlopsCompression),
                schedule.Variational, schedule.Distillation,
                new TrainingReport(training.BatchSize, training.LearningRate, training.Momentum, training.WeightDecay,
                    training.Augment, training.MinBatchesPerEpoch, training.Seed)),
            WallSeconds = wallSeconds ?? result.Seconds,
            Threads = TorchSharp.torch.get_num_threads(),
            PeakResidentBytes = ProcessMemory.Peak(),
        };
    }

    /// <summary>Writes report.json, the plots and report.md (which shows them) into <paramref name="folder"/>, each
    /// atomically (<see cref="AtomicFile"/>); returns the paths of report.json and report.md.</summary>
    /// <exception cref="IOException">A file could not be written; the message names it, and what was there is
    /// unchanged.</exception>
    public static IReadOnlyList<string> Write(string folder, SynthesisReport report, SeedTopology reference)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        var json = Path.Combine(folder, FileNames[0]);
        AtomicFile.Write(json, Encoding.UTF8.GetBytes(report.ToJson()));
        ReportPlots.Write(folder, report);
        var markdown = Path.Combine(folder, FileNames[1]);
        var text = ReportMarkdown.Write(report, reference, ReportPlots.FileNames);
        AtomicFile.Write(markdown, Encoding.UTF8.GetBytes(text));
        return [json, markdown];
    }

    static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
