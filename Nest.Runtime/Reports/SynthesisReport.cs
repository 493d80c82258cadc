using System.Text.Json;
using System.Text.Json.Serialization;
using Nest.Runtime.Growth;
using Nest.Runtime.Pruning;
using Nest.Runtime.Training;

namespace Nest.Runtime.Reports;

/// <summary>
/// A synthesis as report.json holds it: written and read by this one type (System.Text.Json source generation,
/// camelCase), so that <c>nest plot</c>, a user's program and a script see the same fields. Versioned by
/// <see cref="FormatVersion"/>; reports written before the field read as version 1. A field a report lacks reads as
/// its type's default (an older report's schedule lacks the options added since).
/// </summary>
public sealed record SynthesisReport
{
    /// <summary>The format's version; a reader refuses a newer one.</summary>
    public int FormatVersion { get; init; } = CurrentVersion;
    /// <summary>The seed's name (its class name).</summary>
    public string Seed { get; init; } = "";
    /// <summary>The network's topology name.</summary>
    public string Network { get; init; } = "";
    /// <summary>The command that ran it, when a command did.</summary>
    public string? Command { get; init; }
    /// <summary>The data it ran on.</summary>
    public DatasetReport? Dataset { get; init; }
    /// <summary>Which mask kernels ran.</summary>
    public string? Kernels { get; init; }
    /// <summary>Where the network trained: <c>cpu</c>, <c>cuda:0</c> (absent in reports of older runs).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Device { get; init; }
    /// <summary>The dense reference's size.</summary>
    public CostReport? Reference { get; init; }
    /// <summary>The synthesized network.</summary>
    public FinalReport? Final { get; init; }
    /// <summary>Compression against the reference.</summary>
    public CompressionReport? Compression { get; init; }
    /// <summary>Pruning's validation limit.</summary>
    public double TargetValidationError { get; init; }
    /// <summary>The rate the run trained at (after the rate check).</summary>
    public double LearningRate { get; init; }
    /// <summary>Why growth ended.</summary>
    public string? GrowthStop { get; init; }
    /// <summary>Why pruning ended.</summary>
    public string? PruneStop { get; init; }
    /// <summary>Seconds per phase and per kind of work.</summary>
    public SecondsReport? Seconds { get; init; }
    /// <summary>Trainings that diverged and were run again at a smaller rate.</summary>
    public int Divergences { get; init; }
    /// <summary>Every step.</summary>
    public IReadOnlyList<StepReport> History { get; init; } = [];
    /// <summary>The schedule it ran under.</summary>
    public ScheduleReport? Schedule { get; init; }
    /// <summary>Wall-clock seconds of the whole command.</summary>
    public double WallSeconds { get; init; }
    /// <summary>TorchSharp threads.</summary>
    public int Threads { get; init; }
    /// <summary>Peak resident memory of the process, where the system reports it.</summary>
    public long? PeakResidentBytes { get; init; }

    /// <summary>The version this build writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Fields that older reports hold and this build neither reads nor writes: options removed after they were
    /// measured not to help (a report that lacks them ran with no retry, no final fine-tuning, growth's patience 1, no
    /// iterate averaging, no longer late retraining, magnitude alone, a recorded teacher), as paths with <c>[]</c> for
    /// any array element.</summary>
    public static IReadOnlyList<string> RemovedFields { get; } =
    [
        ".history[].extraRetrainings", ".schedule.finalEpochs", ".schedule.pruning.retries",
            ".schedule.growth.patience",
        ".schedule.pruning.averageEpochs", ".schedule.pruning.lateEpochs", ".schedule.pruning.costExponent",
        ".schedule.pruning.costFromCompression", ".schedule.distillation.live",
    ];

    /// <summary>The report as report.json holds it (indented, camelCase; a value with no JSON number, an infinite
    /// compression, as the string "Infinity").</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SynthesisReportJson.Default.SynthesisReport);

    /// <summary>Reads a report.</summary> <exception cref="InvalidDataException">Not a synthesis report, or of a newer
    /// format; the message names <paramref name="path"/>.</exception>
    public static SynthesisReport Read(string path)
    {
        SynthesisReport? report;
        try
        {
            report = JsonSerializer.Deserialize(File.ReadAllText(path), SynthesisReportJson.Default.SynthesisReport);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a synthesis report ({e.Message})", e);
        }
        // Source-generated reading sets every init-only property, absent ones to their type's default: a report
        // written before FormatVersion existed reads 0 here, and is version 1.
        if (report?.History is not { Count: > 0 })
            throw new InvalidDataException($"{path}: not a synthesis report (no history)");
        if (report.FormatVersion == 0) report = report with { FormatVersion = 1 };
        if (report.FormatVersion > CurrentVersion)
            throw new InvalidDataException($"{path}: report format {report.FormatVersion} is newer than this build reads ({CurrentVersion})");
        return report;
    }
}

/// <summary>The data a synthesis ran on.</summary>
public sealed record DatasetReport(string Name, string Folder, string Input, int Train, int Validation, int Test);

/// <summary>A size: parameters and FLOPs.</summary>
public sealed record CostReport(long Parameters, long Flops);

/// <summary>The synthesized network.</summary>
public sealed record FinalReport(long Parameters, long Connections, long Flops, double TestError,
    double ValidationError,
    IReadOnlyList<LayerCost> Layers);

/// <summary>Compression against the dense reference.</summary>
public sealed record CompressionReport(double Parameters, double Flops);

/// <summary>Seconds per phase (seed, grow, converge, prune, final) and per kind of work.</summary>
public sealed record SecondsReport(IReadOnlyDictionary<string, double> Phases, IReadOnlyDictionary<string,
    double> Work);

/// <summary>One step of the history (the phase in lower case; test error recorded, never used to decide; resident
/// memory when the step ended, where the system reports it).</summary>
public sealed record StepReport(int Step, string Phase, long Connections, long Parameters, long Flops,
    double ValidationError,
    double? TestErrorReportOnly, int NeuronsAdded, int NeuronsRemoved, bool Accepted, double Seconds,
    IReadOnlyList<StepLayerReport>? Layers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ResidentBytes = null);

/// <summary>One layer's size at a step.</summary>
public sealed record StepLayerReport(string Name, long Connections, long Flops, double? AreaDensity);

/// <summary>The schedule a synthesis ran under.</summary>
public sealed record ScheduleReport(int RateCheckBatches, int SeedEpochs, int ConvergeEpochs, GrowthOptions Growth,
    PruningOptions Pruning, AreaReport Area, VariationalOptions Variational, DistillationOptions Distillation,
        TrainingReport Training);

/// <summary>Partial-area pruning's options (the score in lower case).</summary>
public sealed record AreaReport(double Fraction, string Score, int TaylorBatches, int PairMaxInputs, int TailSteps,
    double? StopAtFlopsCompression);

/// <summary>The training options that shape a synthesis.</summary>
public sealed record TrainingReport(int BatchSize, double LearningRate, double Momentum, double WeightDecay,
    bool Augment,
    int MinBatchesPerEpoch, long SeedValue);

/// <summary>Source-generated JSON for <see cref="SynthesisReport"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SynthesisReport))]
internal sealed partial class SynthesisReportJson : JsonSerializerContext;
