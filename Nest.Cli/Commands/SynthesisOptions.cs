using System.Globalization;
using System.Linq.Expressions;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;

namespace Nest.Cli.Commands;

/// <summary>One <c>nest synthesize</c> option that sets a schedule field: its name, its help, the field's path in the
/// schedule (<c>Pruning.Fraction</c>), how to read the field and how to apply the option to a schedule.</summary>
public sealed record SynthesisOption(string Name, string Help, string Field, Func<SynthesisSchedule, object?> Value,
    Func<Arguments, SynthesisSchedule, SynthesisSchedule> Apply);

/// <summary>
/// Every schedule option of <c>nest synthesize</c>, in one table: parsing, the help text and the defaults are all read
/// from it, so that an option added here is parsed, documented and listed at once. Each names its field by an
/// expression (<c>s =&gt; s.Pruning.Fraction</c>), which gives both the reader and the path the setter follows.
/// </summary>
public static class SynthesisOptions
{
    public static IReadOnlyList<SynthesisOption> All { get; } = new[]
    {
        Int("rate-check", "batches of the learning-rate check before the seed trains (a rate under which the loss " +
            "does not fall is halved); 0: off",
            s => s.RateCheckBatches),
        Int("seed-epochs", "epochs training the seed", s => s.SeedEpochs),
        Int("growth-steps", "at most this many growth steps", s => s.Growth.MaxSteps),
        Int("growth-epochs", "epochs after each growth step", s => s.Growth.Epochs),
        Number("growth-min-gain", "growth stops when a step gains less than this many standard errors of the " +
            "validation error (below 0: never)",
            s => s.Growth.MinGain, min: double.MinValue),
        Optional("growth-target", "growth also stops at this validation error", s => s.Growth.TargetError, min: 0),
        Number("connection-growth", "dormant connections switched on per growth step, per live one",
            s => s.Growth.ConnectionRatio),
        Number("neuron-growth", "neurons added per growth step, per unit of width", s => s.Growth.NeuronRatio),
        Int("converge-epochs", "epochs training the grown network before pruning", s => s.ConvergeEpochs),
        Number("prune-fraction", "the largest share of each layer's live connections one pruning step removes",
            s => s.Pruning.Fraction),
        Optional("late-prune-fraction", "once the kept network is --late-prune-from-fold smaller, steps take at " +
            "most this fraction",
            s => s.Pruning.LateFraction, min: double.Epsilon),
        Number("late-prune-from", "the compression (parameters) from which --late-prune-fraction applies",
            s => s.Pruning.LateFromCompression, min: 1),
        Number("min-prune-fraction", "pruning ends when the halved fraction falls below this",
            s => s.Pruning.MinFraction, min: double.Epsilon),
        Int("prune-recovery", "kept steps in a row before a halved fraction doubles", s => s.Pruning.RecoverySteps),
        Int("prune-epochs", "retraining epochs after each pruning step", s => s.Pruning.Epochs),

                   Optional("recovered-se", "a retraining stops after one epoch when the error is this many " +
            "standard errors below the limit",
            s => s.Pruning.RecoveredStandardErrors, min: 0),
        Int("prune-steps", "at most this many pruning steps", s => s.Pruning.MaxSteps),
        Number("limit-se", "pruning's limit: the converged network's validation error plus this many of its " +
            "standard errors",
            s => s.Pruning.LimitStandardErrors),
        Number("tolerance", "an absolute margin added to the limit (a fraction)", s => s.Pruning.Tolerance),
        Optional("target", "an absolute validation error limit for pruning (instead of --limit-se)",
            s => s.Pruning.TargetError, min: 0),
        Optional("stop-at", "stop pruning at X-fold fewer parameters",
            s => s.Pruning.StopAtCompression, min: 1.0000001),
        Number("prune-rate", "learning rate of retraining, as a share of the seed's rate",
            s => s.Pruning.RateFactor, min: double.Epsilon),
        Optional("prune-lr", "the same as an absolute rate (instead of --prune-rate)",
            s => s.Pruning.LearningRate, min: double.Epsilon),
        Number("area-prune", "partial-area fraction of each convolution's live positions per step",
            s => s.Area.Fraction),
        Choice("area-score", "contribution: rank area positions by |input * kernel|; taylor: by |contribution x " +
            "loss gradient|",
            s => s.Area.Score),
        Int("area-tail", "after connection pruning, up to N steps masking convolution area alone (for FLOPs)",
            s => s.Area.TailSteps),
        Optional("stop-at-flops", "the area tail stops at (or skips when already at) X-fold fewer FLOPs",
            s => s.Area.StopAtFlopsCompression, min: 1.0000001),
        Int("variational-epochs", "off at 0; before magnitude pruning, N epochs of sparse variational dropout " +
            "(Adam), then weights with log alpha over the threshold masked",
            s => s.Variational.Epochs),
        Number("variational-lr", "Adam's learning rate in the variational epochs",
            s => s.Variational.LearningRate, min: double.Epsilon),
        Number("variational-threshold", "log alpha above which a weight is masked after the variational epochs",
            s => s.Variational.Threshold, min: -8),
        Number("variational-cost", "off at 0; multiply each convolution weight's KL term by its " +
            "multiply-accumulates to the power X, so the variational step thins costly layers first",
            s => s.Variational.CostExponent),
        Number("variational-warmup", "share of the variational epochs over which the KL term's weight rises from 0 " +
            "to 1",
            s => s.Variational.Warmup),
        Number("distill", "off at 0; share of the pruning loss that follows the converged network's outputs",
            s => s.Distillation.Weight),
        Number("distill-temperature", "softens the teacher's outputs", s => s.Distillation.Temperature, min: 1),
    };

    /// <summary>The schedule <paramref name="defaults"/> with every option given in <paramref name="args"/>
    /// applied.</summary>
    public static SynthesisSchedule Apply(Arguments args, SynthesisSchedule defaults) =>
        All.Aggregate(defaults, (s, o) => o.Apply(args, s));

    /// <summary>Checks a schedule made from the options; a value the engine refuses is a usage error that names
    /// its option (or, for a field no option sets, the field).</summary>
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
            var name = All.FirstOrDefault(o => o.Field == field) is { } option
                ? "--" + option.Name : $"the schedule's {field}";
            var reason = e.Message.Split(" (Parameter")[0];
            var value = e.ActualValue is { } v ? $" (got {Format(v)})" : "";
            throw new UsageException($"{name} {reason}{value}");
        }
    }

    /// <summary>One help line per option, with the default.</summary>
    public static IEnumerable<string> HelpLines()
    {
        var defaults = new SynthesisSchedule();
        return All.Select(o => $"--{o.Name} {Format(o.Value(defaults) ?? "none")}: {o.Help}");
    }

    /// <summary>A value as the command line writes it.</summary>
    public static string Format(object value) =>
        value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? "";

    static SynthesisOption Int(string name, string help, Expression<Func<SynthesisSchedule, int>> field, int min = 0)
    {
        var (path, get) = Field(field);
        return new(name, help, path, s => get(s), (a, s) => Set(s, path, a.Int(name, get(s), min: min)));
    }

    static SynthesisOption Number(string name, string help, Expression<Func<SynthesisSchedule, double>> field,
        double min = 0)
    {
        var (path, get) = Field(field);
        return new(name, help, path, s => get(s), (a, s) => Set(s, path, a.Double(name, get(s), min)));
    }

    static SynthesisOption Optional(string name, string help, Expression<Func<SynthesisSchedule, double?>> field,
        double min)
    {
        var (path, get) = Field(field);
        return new(name, help, path, s => get(s), (a, s) => a.String(name) switch
        {
            null => s,
            Off => Set(s, path, null),
            var text when !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                || double.IsNaN(v) => throw NotNumberOrOff(name, "a number", text),
            _ => Set(s, path, a.Double(name, 0, min)),
        });
    }

    static SynthesisOption Choice<T>(string name, string help, Expression<Func<SynthesisSchedule, T>> field)
        where T : struct, Enum
    {
        var (path, get) = Field(field);
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        return new(name, help, path, s => get(s).ToString().ToLowerInvariant(),
            (a, s) => Set(s, path,
                Enum.Parse<T>(a.Choice(name, get(s).ToString().ToLowerInvariant(), names), ignoreCase: true)));
    }

    // The dotted path of a field expression (s => s.Pruning.Fraction: "Pruning.Fraction") and its compiled reader.
    static (string Path, Func<SynthesisSchedule, T> Get) Field<T>(Expression<Func<SynthesisSchedule, T>> field)
    {
        var names = new List<string>();
        for (var e = field.Body; e is MemberExpression member; e = member.Expression)
            names.Insert(0, member.Member.Name);
        return (string.Join('.', names), field.Compile());
    }

    // A copy of the schedule with the field at the path set: each record on the way is cloned (as `with` does) and the
    // clone's init-only property set, so that the options need not spell out every nested `with`.
    static SynthesisSchedule Set(SynthesisSchedule schedule, string path, object? value) =>
        (SynthesisSchedule)With(schedule, path.Split('.'), value);

    static object With(object record, string[] path, object? value)
    {
        var clone = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        var property = clone.GetType().GetProperty(path[0])!;
        property.SetValue(clone, path.Length == 1 ? value : With(property.GetValue(clone)!, path[1..], value));
        return clone;
    }

    // An optional setting's error names both things it takes, so `--stop-at never` points to `none`.
    static UsageException NotNumberOrOff(string name, string kind, string text) =>
        new($"--{name} must be {kind} or '{Off}' (got '{text}')");

    /// <summary>The value that turns an optional setting off (<c>--late-prune-fraction none</c>).</summary>
    public const string Off = "none";
}
