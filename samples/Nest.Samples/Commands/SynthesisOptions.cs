using System.Globalization;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Samples.Cli;

namespace Nest.Samples.Commands;

/// <summary>One <c>nest synthesize</c> option that sets a schedule field: its name, its help, how to read
/// the field (for each seed's defaults in <c>--help</c>) and how to apply the option to a schedule.</summary>
public sealed record SynthesisOption(string Name, string Help, Func<SynthesisSchedule, object?> Value, Func<Arguments, SynthesisSchedule, SynthesisSchedule> Apply);

/// <summary>
/// Every schedule option of <c>nest synthesize</c>, in one table: parsing, the help text and the per-seed
/// defaults are all read from it, so that an option added here is parsed, documented and listed at once.
/// </summary>
public static class SynthesisOptions
{
    public static IReadOnlyList<SynthesisOption> All { get; } = new[]
    {
        Int("seed-epochs", "epochs training the seed", s => s.SeedEpochs, (s, v) => s with { SeedEpochs = v }),
        Int("rate-check", "batches of the learning-rate check before the seed trains (a rate under which the loss does not fall is halved); 0: off", s => s.RateCheckBatches, (s, v) => s with { RateCheckBatches = v }),
        Optional("growth-target", "growth also stops at this validation error", s => s.GrowthTargetError, (s, v) => s with { GrowthTargetError = v }, min: 0),
        Number("growth-min-gain", "growth stops when a step gains less than this many standard errors of the validation error (below 0: never)", s => s.GrowthMinGain, (s, v) => s with { GrowthMinGain = v }, min: double.MinValue),
        Int("growth-steps", "at most this many growth steps", s => s.MaxGrowthSteps, (s, v) => s with { MaxGrowthSteps = v }),
        Int("growth-epochs", "epochs after each growth step", s => s.GrowthEpochs, (s, v) => s with { GrowthEpochs = v }),
        Int("converge-epochs", "epochs training the grown network before pruning", s => s.ConvergeEpochs, (s, v) => s with { ConvergeEpochs = v }),
        Number("connection-growth", "dormant connections switched on per growth step, per live one", s => s.ConnectionGrowthRatio, (s, v) => s with { ConnectionGrowthRatio = v }),
        Number("neuron-growth", "neurons added per growth step, per unit of width", s => s.NeuronGrowthRatio, (s, v) => s with { NeuronGrowthRatio = v }),
        Number("prune-fraction", "the largest share of each layer's live connections one pruning step removes", s => s.PruneFraction, (s, v) => s with { PruneFraction = v }),
        Optional("late-prune-fraction", "once the kept network is --late-prune-from-fold smaller, steps take at most this fraction", s => s.LatePruneFraction, (s, v) => s with { LatePruneFraction = v }, min: double.Epsilon),
        Number("late-prune-from", "the compression (parameters) from which --late-prune-fraction applies", s => s.LatePruneFromCompression, (s, v) => s with { LatePruneFromCompression = v }, min: 1),
        Number("min-prune-fraction", "pruning ends when the halved fraction falls below this", s => s.MinPruneFraction, (s, v) => s with { MinPruneFraction = v }, min: double.Epsilon),
        Int("prune-recovery", "accepted steps in a row before a halved fraction doubles", s => s.PruneRecoverySteps, (s, v) => s with { PruneRecoverySteps = v }),
        Number("area-prune", "partial-area fraction of each convolution's live positions per step", s => s.AreaPruneFraction, (s, v) => s with { AreaPruneFraction = v }),
        new("area-score", "contribution: rank area positions by |input * kernel|; taylor: by |contribution x loss gradient|",
            s => s.AreaScore.ToString().ToLowerInvariant(),
            (a, s) => s with { AreaScore = a.Choice("area-score", s.AreaScore.ToString().ToLowerInvariant(), "contribution", "taylor") == "taylor" ? AreaScore.Taylor : AreaScore.Contribution }),
        Int("area-tail", "after connection pruning, up to N steps masking convolution area alone (for FLOPs)", s => s.AreaTailSteps, (s, v) => s with { AreaTailSteps = v }),
        Int("prune-epochs", "retraining epochs after each pruning step", s => s.PruneEpochs, (s, v) => s with { PruneEpochs = v }),
        OptionalInt("late-prune-epochs", "once the kept network is --late-prune-from-fold smaller, retraining takes this many epochs", s => s.LatePruneEpochs, (s, v) => s with { LatePruneEpochs = v }),
        Int("average-epochs", "off at 0; retraining and fine-tuning keep the mean of their last N epochs' iterates (weight averaging)", s => s.AverageEpochs, (s, v) => s with { AverageEpochs = v }),
        Number("prune-rate", "learning rate of retraining and final fine-tuning, as a share of the seed's rate", s => s.PruneRateFactor, (s, v) => s with { PruneRateFactor = v }, min: double.Epsilon),
        Optional("prune-lr", "the same as an absolute rate (instead of --prune-rate)", s => s.PruneLearningRate, (s, v) => s with { PruneLearningRate = v }, min: double.Epsilon),
        Int("prune-steps", "at most this many pruning steps", s => s.MaxPruneSteps, (s, v) => s with { MaxPruneSteps = v }),
        Int("prune-retries", "retrainings of a step over the limit; kept if the mean of its readings is within it", s => s.PruneRetries, (s, v) => s with { PruneRetries = v }),
        Number("prune-cost", "score |w| / MACs^X, so convolution weights go first; dense layers unaffected", s => s.PruneCostExponent, (s, v) => s with { PruneCostExponent = v }),
        Optional("prune-cost-from", "apply --prune-cost only once the kept network has C-fold fewer parameters", s => s.PruneCostFromCompression, (s, v) => s with { PruneCostFromCompression = v }, min: double.Epsilon),
        Number("limit-se", "pruning's limit: the converged network's validation error plus this many of its standard errors", s => s.LimitStandardErrors, (s, v) => s with { LimitStandardErrors = v }),
        Number("tolerance", "an absolute margin added to the limit (a fraction)", s => s.PruneTolerance, (s, v) => s with { PruneTolerance = v }),
        Optional("target", "an absolute validation error limit for pruning (instead of --limit-se)", s => s.TargetError, (s, v) => s with { TargetError = v }, min: 0),
        Optional("stop-at", "stop pruning at X-fold fewer parameters", s => s.StopAtCompression, (s, v) => s with { StopAtCompression = v }, min: 1.0000001),
        Optional("stop-at-flops", "the area tail stops at (or skips when already at) X-fold fewer FLOPs", s => s.StopAtFlopsCompression, (s, v) => s with { StopAtFlopsCompression = v }, min: 1.0000001),
        Int("final-epochs", "epochs fine-tuning the kept network", s => s.FinalEpochs, (s, v) => s with { FinalEpochs = v }),
        Int("variational-epochs", "off at 0; before magnitude pruning, N epochs of sparse variational dropout (Adam), then weights with log alpha over the threshold masked", s => s.VariationalEpochs, (s, v) => s with { VariationalEpochs = v }),
        Number("variational-lr", "Adam's learning rate in the variational epochs", s => s.VariationalLearningRate, (s, v) => s with { VariationalLearningRate = v }, min: double.Epsilon),
        Number("variational-threshold", "log alpha above which a weight is masked after the variational epochs", s => s.VariationalThreshold, (s, v) => s with { VariationalThreshold = v }, min: -8),
        Number("variational-cost", "off at 0; multiply each convolution weight's KL term by its multiply-accumulates to the power X, so the variational step thins costly layers first", s => s.VariationalCostExponent, (s, v) => s with { VariationalCostExponent = v }),
        Number("variational-warmup", "share of the variational epochs over which the KL term's weight rises from 0 to 1", s => s.VariationalWarmup, (s, v) => s with { VariationalWarmup = v }),
        Number("distill", "off at 0; share of the pruning loss that follows the grown network's outputs", s => s.DistillationWeight, (s, v) => s with { DistillationWeight = v }),
        Number("distill-temperature", "softens the teacher's outputs", s => s.DistillationTemperature, (s, v) => s with { DistillationTemperature = v }, min: 1),
        new("distill-live", "the teacher runs on each batch as the student sees it, distortions included (--distill-recorded: once, undistorted)",
            s => s.DistillationLive ? true : null,
            (a, s) => (a.Flag("distill-live"), a.Flag("distill-recorded")) switch
            {
                (true, true) => throw new UsageException("--distill-live and --distill-recorded exclude each other"),
                (true, _) => s with { DistillationLive = true },
                (_, true) => s with { DistillationLive = false },
                _ => s,
            }),
    };

    /// <summary>The flags among the options (they take no value).</summary>
    public static IEnumerable<string> Flags => new[] { "distill-live", "distill-recorded" };

    /// <summary>The schedule <paramref name="defaults"/> with every option given in <paramref name="args"/> applied.</summary>
    public static SynthesisSchedule Apply(Arguments args, SynthesisSchedule defaults) => All.Aggregate(defaults, (s, o) => o.Apply(args, s));

    /// <summary>Checks a schedule made from the options; a value the engine refuses is a usage error that names
    /// its option (or, for a field no single option sets, the field).</summary>
    public static SynthesisSchedule Validated(SynthesisSchedule schedule)
    {
        try
        {
            schedule.Validate();
            return schedule;
        }
        catch (ArgumentOutOfRangeException e)
        {
            var field = e.ParamName ?? "schedule";
            var name = OptionSetting(schedule, field) is { } option ? "--" + option.Name : $"the schedule's {field}";
            var reason = e.Message.Split(" (Parameter")[0];
            var value = e.ActualValue is { } v ? $" (got {Format(v)})" : "";
            throw new UsageException($"{name} {reason}{value}");
        }
    }

    /// <summary>The option that sets the schedule's property <paramref name="field"/>, found by changing that property
    /// on a copy and asking which option reads a different value (option names need not spell the field:
    /// --variational-cost sets VariationalCostExponent); null when none does.</summary>
    static SynthesisOption? OptionSetting(SynthesisSchedule schedule, string field)
    {
        var property = typeof(SynthesisSchedule).GetProperty(field);
        if (property is null || !property.CanWrite) return null;
        object? other = property.GetValue(schedule) switch
        {
            double d => d + 1,
            int i => i + 1,
            bool b => !b,
            null when property.PropertyType == typeof(double?) => 2.0,
            null when property.PropertyType == typeof(int?) => 2,
            _ => null,
        };
        if (other is null) return null;
        var probe = schedule with { };
        property.SetValue(probe, other);
        return All.FirstOrDefault(o => !Equals(o.Value(schedule), o.Value(probe)));
    }

    /// <summary>One help line per option, with the engine's default.</summary>
    public static IEnumerable<string> HelpLines()
    {
        var engine = new SynthesisSchedule();
        return All.Select(o => $"--{o.Name}{(Flags.Contains(o.Name) ? "" : $" {Format(o.Value(engine) ?? "none")}")}: {o.Help}");
    }

    /// <summary>A value as the command line writes it.</summary>
    public static string Format(object value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "";

    static SynthesisOption Int(string name, string help, Func<SynthesisSchedule, int> get, Func<SynthesisSchedule, int, SynthesisSchedule> set) =>
        new(name, help, s => get(s), (a, s) => set(s, a.Int(name, get(s), min: 0)));

    static SynthesisOption Number(string name, string help, Func<SynthesisSchedule, double> get, Func<SynthesisSchedule, double, SynthesisSchedule> set, double min = 0) =>
        new(name, help, s => get(s), (a, s) => set(s, a.Double(name, get(s), min)));

    static SynthesisOption OptionalInt(string name, string help, Func<SynthesisSchedule, int?> get, Func<SynthesisSchedule, int?, SynthesisSchedule> set) =>
        new(name, help, s => get(s), (a, s) => a.String(name) switch
        {
            null => s,
            Off => set(s, null),
            var text when !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => throw NotNumberOrOff(name, "an integer", text),
            _ => set(s, a.Int(name, 0, min: 0)),
        });

    static SynthesisOption Optional(string name, string help, Func<SynthesisSchedule, double?> get, Func<SynthesisSchedule, double?, SynthesisSchedule> set, double min) =>
        new(name, help, s => get(s), (a, s) => a.String(name) switch
        {
            null => s,
            Off => set(s, null),
            var text when !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v) => throw NotNumberOrOff(name, "a number", text),
            _ => set(s, a.Double(name, 0, min)),
        });

    // An optional setting's error names both things it takes, so `--stop-at never` points to `none`.
    static UsageException NotNumberOrOff(string name, string kind, string text) => new($"--{name} must be {kind} or '{Off}' (got '{text}')");

    /// <summary>The value that turns an optional setting off (<c>--late-prune-fraction none</c>).</summary>
    public const string Off = "none";
}
