using Nest.Runtime.Reports;
using Nest.Runtime;
using Nest.Runtime.Data;
using Nest.Runtime.Export;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Cli.Commands;

/// <summary> <c>nest synthesize --seed NAME</c>: the NeST grow-then-prune synthesis on MNIST or any data folder (IDX,
/// CSV, images), ending with <c>report.json</c> (reference, final network per layer, compression, history). </summary>
public static class SynthesizeCommand
{
    public static readonly IReadOnlySet<string> Flags =
        new HashSet<string> { "augment", "no-progress", "json", "overwrite" };

    /// <param name="args">The options (with <c>--resume</c>, merged by <see cref="ResumeArguments.Merge"/>).</param>
    /// <param name="commandLine">The same options as tokens, saved for a later <c>--resume</c> and in the
    /// report.</param>
    public static async Task<int> RunAsync(Arguments args, IReadOnlyList<string> commandLine, TextWriter output,
        CancellationToken cancellationToken, CancellationToken finish = default)
    {
        var entry =
            SeedCatalog.Find(args.String("seed")
                ?? throw new UsageException($"--seed is required ({SeedCatalog.Names})"));
        var defaults = new SynthesisSchedule();
        var training = defaults.Training with
        {
            LearningRate = args.Double("lr", defaults.Training.LearningRate, min: double.Epsilon),
            BatchSize = args.Int("batch-size", defaults.Training.BatchSize, min: 1),
            Seed = args.Long("seed-value", 0),
            Augment = args.Flag("augment"),
        };
        var schedule = SynthesisOptions.Validated(SynthesisOptions.Apply(args, defaults) with { Training = training });
        var backend = args.Choice("kernels", "auto", "auto", "cpu", "cuda") switch
        {
            "cpu" => KernelBackend.Cpu,
            "cuda" => KernelBackend.Cuda,
            _ => KernelBackend.Auto,
        };
        var validation = CommandData.Validation(args);
        var dataFolder = args.String("data");
        var scaling = CommandData.Scaling(args, InputScaling.Standardize);
        var threads = args.Int("threads", 0, min: 0);
        var device = CommandData.Device(args);
        var outFolder =
            args.String("out") ?? Path.Combine("runs", $"{entry.Name}-synthesis-{DateTime.Now:yyyyMMdd-HHmmss}");
        var plain = args.Flag("no-progress") || Console.IsOutputRedirected;
        var checkpointEvery = args.Int("checkpoint-every", 1, min: 0);
        var timeLimit = TimeLimit(args);
        var resuming = args.String("resume") is not null;
        // A resumed run of a converged network pruned again has its own checkpoints (its converged one first).
        var pruneFrom = args.String("prune-from") is { } from && !resuming ? from : null;
        var overwrite = args.Flag("overwrite");
        var json = args.Flag("json");
        args.RejectUnknown();
        if (pruneFrom is not null && SameFolder(pruneFrom, outFolder))
            throw new UsageException(
                $"--out must not be the --prune-from folder '{pruneFrom}': that run is only read, never replaced");
        // With --json, stdout carries the report alone; the running commentary goes to stderr.
        var stdout = output;
        if (json) output = Console.Error;
        if (threads > 0) set_num_threads(threads);

        IMaskKernels kernels;
        try
        {
            kernels = MaskKernels.Create(backend);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException($"--kernels cuda: {e.Message}");
        }
        using var _kernels = kernels;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (data, folder) =
            await CommandData.LoadAsync(dataFolder, validation, entry.Topology.Classes, output, cancellationToken,
                scaling);
        using var _ = data;
        CommandData.CheckShape(entry.Topology, entry.Name, data);
        // One pass over the images for both checks of --prune-from's checkpoints.
        var fingerprint = pruneFrom is null ? null : DataFingerprint.Of(data.Train, data.Validation);
        var converged = pruneFrom is null ? null
            : Converged(pruneFrom, entry.Topology.Name, schedule, data, fingerprint!, output);
        var sparsified = pruneFrom is null ? null
            : Sparsified(pruneFrom, entry.Topology.Name, schedule, data, fingerprint!, output);
        // Claimed only now, after every option and the data are checked: a refused run leaves the folder as it was.
        using var runFolder =
            RunFolder.Claim(outFolder, resuming ? "--resume" : "--out", mayHoldRun: resuming || overwrite);
        output.WriteLine($"data: {folder}; device: {ComputeDevices.Describe(device)}; kernels: {kernels.Name}; " +
                         $"{get_num_threads()} threads");

        using var network = (IDisposable)entry.Create(schedule.Training.Seed, false);
        var seed = (ISeedNetwork)network;
        var module = SeedCatalog.AsModule(seed);
        var store = new CheckpointStore(Path.Combine(outFolder, "checkpoints"), Math.Max(1, checkpointEvery));
        var resumeFrom = resuming ? Resume(store, entry.Name, schedule, data, output) : null;
        if (!resuming && store.Clear() is > 0 and var cleared)
            output.WriteLine($"removed {cleared} checkpoint(s) of an earlier run in {store.Folder}");
        if (!resuming)
            await CommandData.WriteTextAsync(outFolder, ResumeArguments.FileName,
                System.Text.Json.JsonSerializer.Serialize(
                    commandLine.Where((a, i) =>
                    a != "--out" && (i == 0 || commandLine[i - 1] != "--out") && !a.StartsWith("--out="))),
                        cancellationToken);
        var synthesizer = new Synthesizer(schedule, kernels)
        {
            Checkpoints = checkpointEvery > 0 ? store : null,
            Device = device,
            TimeLimit = timeLimit,
        };
        var left = new StepsLeft(schedule);
        SynthesisResult result;
        try
        {
        result = synthesizer.Run(seed, data.Train, data.Validation,
            new InlineProgress<SynthesisProgress>(p =>
            {
                if (p.Completed is { } c)
                    output.WriteLine(StepLine(c, left));
                else if (!plain || p.Notice)
                    output.WriteLine($"  ... step {p.Step}: {p.Activity}");
            }), cancellationToken, finish: finish, resumeFrom: resumeFrom, pruneFrom: converged,
                sparsifiedFrom: sparsified);
            // The test set is read once, by the final network below: never per step (a curve of test error invites
            // choosing by it, and each reading cost a pass over 10,000 images).
        }
        catch (RateCheckFailedException e)
        {
            throw new CommandFailedException(e.Message + " Give a rate with --lr.");
        }

        var testError = Evaluation.ErrorRate(module, data.Test);
        var reference = entry.Topology;
        var dataset =
            new DatasetReport(dataFolder is null ? "mnist"
                : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))),
            folder, CommandData.Name(data.Scaling), data.Train.Count, data.Validation.Count, data.Test.Count);
        var report =
            SynthesisReports.Create(result, seed, schedule, testError, dataset,
                "nest synthesize " + string.Join(' ', commandLine),
            clock.Elapsed.TotalSeconds) with { Seed = entry.Name };
        var final = report.Final!;
        output.WriteLine($"final: test error {testError:P2}, validation error {final.ValidationError:P2}, " +
                         $"{final.Parameters:N0} parameters ({report.Compression!.Parameters:F1}x fewer), " +
                         $"{final.Flops:N0} FLOPs ({report.Compression.Flops:F1}x fewer), " +
                         $"{clock.Elapsed.TotalSeconds:F0} s");
        output.WriteLine($"learning rate {result.LearningRate:G3}; growth ended: {result.GrowthStop}; " +
                         $"pruning ended: {result.PruneStop}");
        var modelPath = Path.Combine(outFolder, "model.nestmodel");
        SavedModel.Save(modelPath,
            new ModelHeader(entry.Name, CommandData.Name(data.Scaling), data.Mean, data.Std, testError,
            final.ValidationError, final.Parameters, final.Flops), seed);
        output.WriteLine(
            $"model: {modelPath} (nest export --run {outFolder} writes it as ONNX, TorchSharp and PyTorch)");
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var path in SynthesisReports.Write(outFolder, report, reference)) output.WriteLine($"report: {path}");
        if (json) stdout.WriteLine(report.ToJson());
        if ((finish.IsCancellationRequested || result.TimeLimitReached) && checkpointEvery > 0)
            output.WriteLine($"stopped early: 'nest synthesize --resume {outFolder}' continues the synthesis " +
                             "from the step it stopped at");
        return 0;
    }

    // --time-limit MINUTES: a positive number of minutes, or none.
    static TimeSpan? TimeLimit(Arguments args)
    {
        if (args.String("time-limit") is null) return null;
        var minutes = args.Double("time-limit", 0);
        return minutes > 0 && minutes <= TimeSpan.MaxValue.TotalMinutes / 2 ? TimeSpan.FromMinutes(minutes)
            : throw new UsageException(
                $"--time-limit must be a positive number of minutes (got {args.String("time-limit")})");
    }

    // The converged network of the run in FOLDER (its checkpoints/converged.nestckpt), read only.
    static SynthesisCheckpoint Converged(string folder, string seed, SynthesisSchedule schedule, IdxDataset data,
        string fingerprint, TextWriter output)
    {
        var store = new CheckpointStore(Path.Combine(folder, "checkpoints"));
        SynthesisCheckpoint checkpoint;
        try
        {
            checkpoint = store.LoadConverged();
            checkpoint.EnsurePrunable(seed, schedule, data.Train.Count, data.Validation.Count,
                fingerprint);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException
                                      or InvalidOperationException)
        {
            throw new CommandFailedException($"--prune-from {folder}: {e.Message}");
        }
        var last = checkpoint.Header.History[^1];
        output.WriteLine($"pruning again the converged network of {store.ConvergedPath}: " +
                         $"step {checkpoint.Header.Step}, {last.Connections:N0} connections, " +
                         $"validation error {last.ValidationError:P2}");
        return checkpoint;
    }

    // The network of the run in FOLDER once its variational step was settled (its checkpoints/sparsified.nestckpt),
    // read only, when there is one that this schedule may go on from; why not told otherwise (the step then runs).
    static SynthesisCheckpoint? Sparsified(string folder, string seed, SynthesisSchedule schedule, IdxDataset data,
        string fingerprint, TextWriter output)
    {
        var store = new CheckpointStore(Path.Combine(folder, "checkpoints"));
        try
        {
            if (store.LoadSparsified() is not { } checkpoint) return null;
            checkpoint.EnsurePrunableAfterSparsifying(seed, schedule, data.Train.Count, data.Validation.Count,
                fingerprint);
            var last = checkpoint.Header.History[^1];
            output.WriteLine($"going on from its sparsified network {store.SparsifiedPath}: step " +
                             $"{checkpoint.Header.Step}, {last.Connections:N0} connections, validation error " +
                             $"{last.ValidationError:P2} (the variational step is not repeated)");
            return checkpoint;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException
                                      or InvalidOperationException)
        {
            output.WriteLine($"not going on from {store.SparsifiedPath} (the variational step, when on, runs again): " +
                             e.Message);
            return null;
        }
    }

    static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)),
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    // The newest checkpoint of this run (CheckpointStore.LoadForResume), each one passed over told on the way.
    static SynthesisCheckpoint Resume(CheckpointStore store, string seedName, SynthesisSchedule schedule,
        IdxDataset data, TextWriter output)
    {
        SynthesisCheckpoint checkpoint;
        string path;
        try
        {
            (checkpoint, path) =
                store.LoadForResume(SeedCatalog.Find(seedName).Topology.Name, schedule, data.Train, data.Validation,
                message => output.WriteLine("nest: " + message));
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException(e.Message);
        }
        var last = checkpoint.Header.History[^1];
        output.WriteLine($"resuming from {path}: step {checkpoint.Header.Step} " +
                         $"({last.Phase.ToString().ToLowerInvariant()}), {last.Connections:N0} connections, " +
                         $"validation error {last.ValidationError:P2}");
        return checkpoint;
    }

    // One line per finished step (a second with each layer's live connections when the step records them, a third
    // with what is left when that can be bounded).
    static string StepLine(SynthesisStep c, StepsLeft left)
    {
        var line = $"step {c.Step,3} {c.Phase,-5} connections {c.Connections,9:N0}  parameters {c.Parameters,9:N0}  " +
                   $"FLOPs {c.Flops,11:N0}  val err {c.ValidationError:P2}" +
                   (c.TestError is { } t ? $" (test {t:P2}, not used)" : "") +
                   (c.Accepted ? "" : " (over target, undone)") + $"  {c.Seconds,6:F0} s";
        if (c.Layers is { } layers)
            line += "\n           " + string.Join("  ", layers.Select(l =>
                $"{l.Name} {l.Connections:N0}" + (l.AreaDensity is { } a ? $" (area {a:P0})" : "")));
        return left.After(c) is { Length: > 0 } eta ? line + "\n           " + eta : line;
    }
}
