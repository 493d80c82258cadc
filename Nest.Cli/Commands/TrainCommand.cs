using TorchSharp;
using Nest.Runtime;
using Nest.Runtime.Data;
using Nest.Runtime.Schedules;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Cli.Commands;

/// <summary>
/// <c>nest train --seed lenet300|lenet5 [--dense]</c>: trains the seed (masks fixed) or its dense
/// reference on MNIST, reports test and validation error, and writes <c>report.json</c>.
/// </summary>
public static class TrainCommand
{
    public static readonly IReadOnlySet<string> Flags =
        new HashSet<string> { "dense", "augment", "no-progress", "json", "overwrite" };

    public static async Task<int> RunAsync(Arguments args, TextWriter output, CancellationToken cancellationToken)
    {
        var entry =
            SeedCatalog.Find(args.String("seed")
                ?? throw new UsageException($"--seed is required ({SeedCatalog.Names})"));
        var dense = args.Flag("dense");
        var options = new TrainingOptions
        {
            Epochs = args.Int("epochs", 20, min: 0),
            BatchSize = args.Int("batch-size", 128, min: 1),
            LearningRate = args.Double("lr", 0.05, min: double.Epsilon),
            Optimizer =
                args.Choice("optimizer", "sgd", "sgd", "adam") == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
            Momentum = args.Double("momentum", 0.9, min: 0),
            WeightDecay = args.Double("weight-decay", 1e-4, min: 0),
            Schedule = args.Choice("schedule", "cosine", "cosine", "constant", "step") switch
            {
                "constant" => new ConstantSchedule(),
                "step" => new StepSchedule(args.Int("step-epochs", 10, min: 1), args.Double("step-gamma", 0.1, min: 0)),
                _ => new CosineSchedule(),
            },
            Seed = args.Long("seed-value", 0),
            Augment = args.Flag("augment"),
        };
        var checkRate = args.String("lr") is null;
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The options' own names, as typed: --momentum, --lr, --weight-decay, --batch-size, --epochs.
            var option = e.ParamName switch
            {
                nameof(TrainingOptions.LearningRate) => "lr", nameof(TrainingOptions.WeightDecay) => "weight-decay",
                nameof(TrainingOptions.BatchSize) => "batch-size", var other => (other ?? "option").ToLowerInvariant(),
            };
            throw new UsageException($"--{option} {e.Message.Split(" (Parameter")[0]}");
        }
        var validation = CommandData.Validation(args, min: 0);
        var dataFolder = args.String("data");
        var scaling = CommandData.Scaling(args, InputScaling.Standardize);
        var threads = args.Int("threads", 0, min: 0);
        var device = CommandData.Device(args);
        var outFolder =
            args.String("out")
                ?? Path.Combine("runs", $"{entry.Name}-{(dense ? "dense" : "seed")}-{DateTime.Now:yyyyMMdd-HHmmss}");
        var json = args.Flag("json");
        var overwrite = args.Flag("overwrite");
        var live =
            !json && !args.Flag("no-progress") && !Console.IsOutputRedirected
                && Environment.GetEnvironmentVariable("TERM") != "dumb";
        args.RejectUnknown();
        // With --json, stdout carries the report alone; the running commentary goes to stderr.
        var stdout = output;
        if (json) output = Console.Error;
        if (threads > 0) set_num_threads(threads);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (data, folder) =
            await CommandData.LoadAsync(dataFolder, validation, entry.Topology.Classes, output, cancellationToken,
                scaling);
        using var _ = data;
        CommandData.CheckShape(entry.Topology, entry.Name, data);
        using var runFolder = RunFolder.Claim(outFolder, "--out", mayHoldRun: overwrite);
        output.WriteLine($"data: {folder} ({data.Train.Count:N0} train, {data.Validation.Count:N0} validation, {data.Test.Count:N0} test)");

        using var network = (IDisposable)entry.Create(options.Seed, dense);
        var seedNetwork = (ISeedNetwork)network;
        var module = SeedCatalog.AsModule(seedNetwork);
        module.to(device);
        var before = NetworkCost.Measure(seedNetwork);
        output.WriteLine($"{(dense ? "dense reference" : "seed")} {entry.Topology.Name}: " +
                         $"{before.Parameters:N0} parameters, {before.Flops:N0} FLOPs, " +
                         $"device {ComputeDevices.Describe(device)}, {get_num_threads()} threads");

        if (checkRate)
        {
            // No rate given: the synthesis's rate check picks the first rate from 0.05 down under which the loss falls.
            try
            {
                options =
                    options with { LearningRate =
                        RateCheck.Find(seedNetwork, data.Train, options, new SynthesisSchedule().RateCheckBatches,
                    message => output.WriteLine("  " + message), cancellationToken) };
            }
            catch (RateCheckFailedException e)
            {
                throw new CommandFailedException(e.Message + " Give a rate with --lr.");
            }
            output.WriteLine($"learning rate {options.LearningRate:G3}");
        }
        var memory = new List<long?>();
        var result = TrainingView.Run(live, $"{entry.Name}{(dense ? " dense" : "")}", progress =>
            new Trainer(options).Train(module, data.Train, data.Validation.Count > 0 ? data.Validation : null,
                new InlineProgress<TrainingProgress>(p =>
                {
                    if (p.Completed is not null) memory.Add(ProcessMemory.Resident());
                    progress.Report(p);
                }), cancellationToken), output);

        var testError = Evaluation.ErrorRate(module, data.Test);
        var cost = NetworkCost.Measure(seedNetwork);
        output.WriteLine($"test error {testError:P2}, validation error {result.ValidationError:P2}, {cost.Parameters:N0} parameters, {cost.Flops:N0} FLOPs, {clock.Elapsed.TotalSeconds:F0} s");

        var report = new
        {
            seed = entry.Name,
            network = entry.Topology.Name,
            command = "nest " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            dense,
            dataset =
                new { name = "mnist", folder, input = CommandData.Name(data.Scaling), train = data.Train.Count,
                    validation = data.Validation.Count, test = data.Test.Count },
            parameters = cost.Parameters,
            connections = cost.Connections,
            flops = cost.Flops,
            reference = new { parameters = entry.Topology.ReferenceParameters, flops = entry.Topology.ReferenceFlops },
            testError,
            validationError = double.IsNaN(result.ValidationError) ? (double?)null : result.ValidationError,
            epochs = options.Epochs,
            wallSeconds = clock.Elapsed.TotalSeconds,
            trainSeconds = result.Seconds,
            threads = get_num_threads(),
            device = ComputeDevices.Describe(device),
            peakResidentBytes = ProcessMemory.Peak(),
            options = new
            {
                options.BatchSize, options.LearningRate, optimizer = options.Optimizer.ToString().ToLowerInvariant(),
                    options.Momentum,
                options.WeightDecay, schedule = options.Schedule.GetType().Name, seedValue = options.Seed,
                    options.Augment,
            },
            history = result.Epochs.Select((e, i) => new
            {
                epoch = e.Epoch, trainLoss = e.TrainLoss, trainAccuracy = e.TrainAccuracy,
                validationError = double.IsNaN(e.ValidationError) ? (double?)null : e.ValidationError,
                learningRate = e.LearningRate, seconds = e.Seconds, residentBytes = i < memory.Count ? memory[i] : null,
            }),
            layers = cost.Layers.Select(l =>
                new { name = l.Name, shape = l.Shape, connections = l.Connections, density = l.Density, parameters =
                    l.Parameters, flops = l.Flops }),
        };
        output.WriteLine($"report: {await CommandData.WriteReportAsync(outFolder, report, cancellationToken)}");
        if (json) stdout.WriteLine(CommandData.ToJson(report));
        return 0;
    }
}
