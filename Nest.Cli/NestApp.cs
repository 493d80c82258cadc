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
    /// <summary>Runs one command (<c>args[0]</c>) with its options; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>As <see cref="RunAsync(string[])"/>, writing to <paramref name="output"/> and <paramref
    /// name="error"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
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
                error.WriteLine("nest: finishing after the current step (Ctrl+C again to cancel)");
            }
            else cancel.Cancel();
        };

        // Parsed by System.CommandLine: help, completion, response files and unknown options are its; each verb's
        // values are then read and checked by the verb (Arguments), which names the option in every error.
        var root = NestCommandLine.Build((verb, tokens) => Run(verb, tokens, output, cancel.Token, finish.Token));
        root.Description += "\nSeeds: " + SeedCatalog.Names;
        var parsed = root.Parse(args is ["help", .. var rest] ? [.. rest, "--help"] : args);
        var invocation = new System.CommandLine.InvocationConfiguration
        {
            Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(invocation);
            return 2;
        }
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) error.WriteLine($"nest: {parseError.Message}");
            foreach (var why in parsed.UnmatchedTokens.Select(RemovedOptions.Why).OfType<string>())
                error.WriteLine($"nest: {why}");
            error.WriteLine("Run 'nest --help' for the commands, 'nest COMMAND --help' for a command's options.");
            return 2;
        }

        Console.CancelKeyPress += onCancel;
        try
        {
            try
            {
                return await parsed.InvokeAsync(invocation);
            }
            catch (UsageException e)
            {
                error.WriteLine($"nest: {e.Message}");
                error.WriteLine("Run 'nest --help' for the commands and options.");
                return 2;
            }
            catch (DatasetException e)
            {
                error.WriteLine($"nest: data error: {e.Message}");
                return 1;
            }
            catch (CommandFailedException e)
            {
                error.WriteLine($"nest: {e.Message}");
                return 1;
            }
            catch (Nest.Runtime.Training.DivergenceException e)
            {
                // Retried at smaller rates already (synthesis); the last checkpoint, if any, holds the last finite
                // network.
                error.WriteLine($"nest: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("nest: cancelled");
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full disk, a folder that cannot be written: the message names the file.
                error.WriteLine($"nest: {e.Message}");
                return 1;
            }
            catch (Exception e)
            {
                // Anything else is a fault of this tool: one line, the stack only when asked for (NEST_DEBUG=1).
                error.WriteLine($"nest: internal error: {e.GetType().Name}: {e.Message}");
                if (Environment.GetEnvironmentVariable("NEST_DEBUG") is "1") error.WriteLine(e);
                else error.WriteLine("nest: set NEST_DEBUG=1 for the stack trace");
                return 1;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // One verb with its option tokens, as the parser handed them over.
    static async Task<int> Run(string verb, string[] options, TextWriter output, CancellationToken cancel,
        CancellationToken finish) => verb switch
    {
        "describe" => DescribeCommand.Run(new Arguments(options, new HashSet<string>()), output),
        "fetch-data" => await FetchDataCommand.RunAsync(new Arguments(options, new HashSet<string>()), output, cancel),
        "train" => await TrainCommand.RunAsync(new Arguments(options, TrainCommand.Flags), output, cancel),
        "synthesize" => await Synthesize(options, output, cancel, finish),
        "export" => await ExportCommand.RunAsync(new Arguments(options, ExportCommand.Flags), output, cancel),
        "inspect" => InspectCommand.Run(new Arguments(options, InspectCommand.Flags), output),
        "plot" => PlotCommand.Run(new Arguments(options, new HashSet<string>()), output),
        "latency" => await LatencyCommand.RunAsync(new Arguments(options, LatencyCommand.Flags), output, cancel),
        _ => throw new UsageException($"unknown command '{verb}'"),
    };

    static Task<int> Synthesize(string[] options, TextWriter output, CancellationToken cancel, CancellationToken finish)
    {
        var merged = ResumeArguments.Merge(options, SynthesizeCommand.Flags);
        if (ReferenceEquals(merged, options))
            return SynthesizeCommand.RunAsync(new Arguments(merged, SynthesizeCommand.Flags), merged, output, cancel,
                finish);
        return Resumed(merged, output, cancel, finish);
    }

    // A resumed run's options come from its command.json: a mistake there is the file's, not the command line's.
    static async Task<int> Resumed(string[] merged, TextWriter output, CancellationToken cancel,
        CancellationToken finish)
    {
        try
        {
            return await SynthesizeCommand.RunAsync(new Arguments(merged, SynthesizeCommand.Flags), merged, output,
                cancel, finish);
        }
        catch (UsageException e)
        {
            var folder = merged[Array.LastIndexOf(merged, "--resume") + 1];
            throw new CommandFailedException($"{Path.Combine(folder, ResumeArguments.FileName)}: {e.Message} (the options saved with the run; --resume takes them as they are)");
        }
    }
}
