using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// The NeST loop: check the learning rate on the seed; train the seed; grow (connections by gradient, then
/// neurons) and retrain until a step's gain is within the validation noise, or a budget ends; then prune by
/// magnitude and retrain, step by step, while the validation error stays within the limit (the converged
/// network's error plus a few of its standard errors),
/// returning to the last network that met it; finally remove dead neurons and measure. Every
/// decision uses the validation set; the caller reports test error. Growth and pruning policies are
/// pluggable; the schedule holds every ratio and budget.
/// </summary>
public sealed class Synthesizer
{
    readonly SynthesisSchedule _schedule;
    readonly IMaskKernels _kernels;

    /// <summary>Creates a synthesizer; the schedule is validated here.</summary>
    public Synthesizer(SynthesisSchedule schedule, IMaskKernels kernels)
    {
        schedule.Validate();
        _schedule = schedule;
        _kernels = kernels;
        ConnectionPruning = step => new MagnitudePruning(step.Fraction);
        // Contributions need two batches of forward passes; Taylor scores, noisier, average more.
        var areaBatches = schedule.Area.Score == AreaScore.Taylor ? schedule.Area.TaylorBatches : 2;
        AreaPruning = (fraction, data, generator) =>
            new PartialAreaPruning(fraction, data, generator, areaBatches, pairMaxInputs: schedule.Area.PairMaxInputs,
                score: schedule.Area.Score);
    }

    /// <summary>Growth policies, applied in order at each growth step.</summary>
    public IList<IGrowthPolicy> GrowthPolicies { get; } =
        new List<IGrowthPolicy> { new ConnectionGrowth(), new NeuronGrowth(), new FeatureMapGrowth() };

    /// <summary>The connection pruning of each step, given the step's fraction (halved after an overshoot).</summary>
    public Func<ConnectionPruningStep, IPruningPolicy> ConnectionPruning { get; set; }

    /// <summary>The partial-area pruning of each step, given the step's area fraction, the training data
    /// and a random stream; null turns it off. Acts on convolutions only.</summary>
    public Func<double, ImageDataset, Generator, IPruningPolicy>? AreaPruning { get; set; }

    /// <summary>Folds connections that read a constant (an output no live connection reaches) into
    /// their layer's bias after every pruning step and before the final unit pruning: exact, so never
    /// a cause of a rejected step; null turns it off.</summary>
    public IPruningPolicy? InputFolding { get; set; } = new ConstantInputFolding();

    /// <summary>Masks outputs that no live connection reads (convolution area positions, dense units'
    /// incoming weights) after every pruning step, after <see cref="InputFolding"/>, and before the final
    /// measurement: exact, so never a cause of a rejected step; null turns it off.</summary>
    public IPruningPolicy? UnreadOutputs { get; set; } = new UnreadOutputPruning();

    /// <summary>The pruning of whole units: after every kept pruning step and once the kept network is
    /// chosen.</summary>
    public IPruningPolicy UnitPruning { get; set; } = new DeadNeuronPruning();

    /// <summary>How often a training that diverges (<see cref="Training.DivergenceException"/>) is taken back to the
    /// network it started from and run again at half the rate, before the run stops with the exception (naming the
    /// layer).</summary>
    public int DivergenceRetries { get; set; } = 3;

    /// <summary>Where the network trains (<see cref="ComputeDevices.Resolve"/>); null: <see
    /// cref="ComputeDevices.Default"/> (CUDA when TorchSharp sees a GPU, else the CPU). The run moves the network there
    /// first, and every batch, teacher and new tensor follows it; the network stays there when the run ends.</summary>
    public Device? Device { get; set; }

    /// <summary>Where the run writes its checkpoints (see <see cref="SynthesisCheckpoint"/>); null: none.</summary>
    public CheckpointStore? Checkpoints { get; set; }

    /// <summary>When set, the run finishes once this much time has passed since it started, as if asked to finish (the
    /// <c>finish</c> token of <see cref="Run"/>): after the step in progress, with the network kept so far; the report
    /// says which limit ended it. A limit passing while the grown network converges lets those epochs end and keeps the
    /// converged network (<see cref="CheckpointStore"/>, to prune again). A resumed run counts from its own start.
    /// Null: no limit.</summary>
    public TimeSpan? TimeLimit
    {
        get => _timeLimit;
        set => _timeLimit = value is not { } limit || limit > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(TimeLimit), value, "must be positive");
    }

    TimeSpan? _timeLimit;

    /// <summary>Synthesizes <paramref name="network"/> in place and returns its history.</summary> <param
    /// name="network">The seed, changed in place.</param> <param name="train">Training data.</param> <param
    /// name="validation">Held-out data that every decision uses.</param> <param name="progress">Receives each activity
    /// and each finished step.</param> <param name="cancellationToken">Stops between two training steps.</param> <param
    /// name="reportOnly">When given (the test set), its error is recorded in every history entry so that
    /// error-versus-size curves can be compared with other tools; it never steers a decision.</param> <param
    /// name="finish">Once cancelled, growth and pruning stop after the step in progress and the kept network is
    /// finished as usual (dead units removed, measured): a long run stopped early still ends with a network and a
    /// history.</param> <param name="resumeFrom">A checkpoint of an earlier run of the same seed, schedule and data to
    /// continue from; <paramref name="network"/> is then a new instance of the seed (it is resized to the
    /// checkpoint's).</param> <param name="pruneFrom">The converged network of an earlier run (<see
    /// cref="CheckpointStore.LoadConverged"/>) to prune under this schedule's pruning options: the run starts at
    /// pruning and ends as a run of this schedule from the seed would (the seed, growth and convergence phases are the
    /// same); <paramref name="network"/> is a new instance of the seed.</param> <param name="sparsifiedFrom">With
    /// <paramref name="pruneFrom"/>, the same run's network once its variational step was settled (<see
    /// cref="CheckpointStore.LoadSparsified"/>): the run goes on from there, without that step's training, when this
    /// schedule differs from that run's at most in <see cref="SynthesisCheckpoint.LoopRecords"/>.</param> <exception
    /// cref="InvalidOperationException">The checkpoint is of another seed, schedule or data split (for <paramref
    /// name="pruneFrom"/>: a schedule that differs beyond <see cref="SynthesisCheckpoint.PruningRecords"/>, or a
    /// checkpoint not taken at convergence; for <paramref name="sparsifiedFrom"/>: beyond <see
    /// cref="SynthesisCheckpoint.LoopRecords"/>).</exception> <exception cref="ArgumentException">Both <paramref
    /// name="resumeFrom"/> and <paramref name="pruneFrom"/> are given, or <paramref name="sparsifiedFrom"/>
    /// without <paramref name="pruneFrom"/>.</exception>
    public SynthesisResult Run(ISeedNetwork network, ImageDataset train, ImageDataset validation,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default,
            ImageDataset? reportOnly = null,
        CancellationToken finish = default, SynthesisCheckpoint? resumeFrom = null,
        SynthesisCheckpoint? pruneFrom = null, SynthesisCheckpoint? sparsifiedFrom = null)
    {
        if (resumeFrom is not null && pruneFrom is not null)
            throw new ArgumentException("a run either resumes from its own checkpoint or prunes a converged network " +
                                        "again, not both", nameof(pruneFrom));
        if (sparsifiedFrom is not null && pruneFrom is null)
            throw new ArgumentException("a sparsified network is pruned again with the converged network of its run",
                nameof(sparsifiedFrom));
        using var run =
            new SynthesisRun(this, _schedule, _kernels, network, train, validation, progress, cancellationToken,
            reportOnly, finish, resumeFrom, pruneFrom, sparsifiedFrom);
        return run.Execute();
    }
}

/// <summary>What one pruning step's connection pruning is given: the fraction.</summary>
public sealed record ConnectionPruningStep(double Fraction);

/// <summary>A finished synthesis: every step, the validation target pruning kept, time, and which kernels
/// ran.</summary>
public sealed record SynthesisResult(IReadOnlyList<SynthesisStep> History, double TargetError, double Seconds,
    string Kernels)
{
    /// <summary>Where the network trained (<see cref="ComputeDevices.Describe"/>: <c>cpu</c>, <c>cuda:0</c>).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Trainings that diverged and were run again at half the rate (<see
    /// cref="Synthesizer.DivergenceRetries"/>).</summary>
    public int Divergences { get; init; }

    /// <summary>The base learning rate the run trained at, after the rate check (<see cref="RateCheck"/>).</summary>
    public double LearningRate { get; init; }

    /// <summary>Why growth ended.</summary>
    public string? GrowthStop { get; init; }

    /// <summary>Why connection pruning ended: the validation limit, a size or step budget, or a finish
    /// request.</summary>
    public string? PruneStop { get; init; }

    /// <summary>Whether the run finished early because its <see cref="Synthesizer.TimeLimit"/> passed.</summary>
    public bool TimeLimitReached { get; init; }

    /// <summary>Seconds per kind of work in this process (<see cref="Work"/>).</summary>
    public IReadOnlyDictionary<string, double> WorkSeconds { get; init; } = new Dictionary<string, double>();
}
