using System.Diagnostics;
using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// The NeST loop: train the seed; grow (connections by gradient, then neurons) and retrain until the
/// validation error reaches the growth target or the step budget ends; then prune by magnitude and
/// retrain, step by step, while the validation error stays within the tolerance of the target,
/// returning to the last network that met it; finally remove dead neurons and fine-tune. Every
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
        ConnectionPruning = step => new MagnitudePruning(step.Fraction, step.CostExponent, step.Saliency);
        // Contributions need two batches of forward passes; Taylor scores, noisier, average more.
        var areaBatches = schedule.AreaScore == AreaScore.Taylor ? schedule.AreaTaylorBatches : 2;
        AreaPruning = (fraction, data, generator) =>
            new PartialAreaPruning(fraction, data, generator, areaBatches, pairMaxInputs: schedule.AreaPairMaxInputs, score: schedule.AreaScore);
        NeuronPruning = schedule.WeakUnitThreshold > 0 ? (data, generator) => new WeakNeuronPruning(schedule.WeakUnitThreshold, data, generator) : null;
        Regrowth = schedule.RegrowthRatio > 0 ? new ConnectionRegrowth(schedule.RegrowthRatio) : null;
    }

    /// <summary>Batches (of <see cref="FisherBatchSize"/> training images) whose squared gradients give the
    /// Fisher saliency of a pruning step: 3,200 images, about 6% of a LeNet epoch's passes.</summary>
    public int FisherBatches { get; set; } = 100;

    /// <summary>Images per batch of the Fisher saliency (small batches: see <see cref="FisherSaliency"/>).</summary>
    public int FisherBatchSize { get; set; } = 32;

    /// <summary>Growth policies, applied in order at each growth step.</summary>
    public IList<IGrowthPolicy> GrowthPolicies { get; } = new List<IGrowthPolicy> { new ConnectionGrowth(), new NeuronGrowth(), new FeatureMapGrowth() };

    /// <summary>The connection pruning of each step, given the step's fraction (halved after an overshoot),
    /// cost exponent (<see cref="SynthesisSchedule.PruneCostExponentAt"/>) and saliency factors
    /// (<see cref="SynthesisSchedule.PruneScore"/>).</summary>
    public Func<ConnectionPruningStep, IPruningPolicy> ConnectionPruning { get; set; }

    /// <summary>The partial-area pruning of each step, given the step's area fraction, the training data
    /// and a random stream; null turns it off. Acts on convolutions only.</summary>
    public Func<double, ImageDataset, Generator, IPruningPolicy>? AreaPruning { get; set; }

    /// <summary>The pruning of weak neurons and feature maps (their connections masked) at each pruning
    /// step, given the training data and a random stream; null turns it off.</summary>
    public Func<ImageDataset, Generator, IPruningPolicy>? NeuronPruning { get; set; }

    /// <summary>The growth inside each pruning step (after the step's pruning, before folding); null turns it off.</summary>
    public ConnectionRegrowth? Regrowth { get; set; }

    /// <summary>Folds connections that read a constant (an output no live connection reaches) into
    /// their layer's bias after every pruning step and before the final unit pruning: exact, so never
    /// a cause of a rejected step; null turns it off.</summary>
    public IPruningPolicy? InputFolding { get; set; } = new ConstantInputFolding();

    /// <summary>Masks outputs that no live connection reads (convolution area positions, dense units'
    /// incoming weights) after every pruning step, after <see cref="InputFolding"/>, and before the final
    /// fine-tuning: exact, so never a cause of a rejected step; null turns it off.</summary>
    public IPruningPolicy? UnreadOutputs { get; set; } = new UnreadOutputPruning();

    /// <summary>The pruning of whole units: after every kept pruning step (when shapes may change: see
    /// <see cref="CreateTwin"/>) and once the kept network is chosen.</summary>
    public IPruningPolicy UnitPruning { get; set; } = new DeadNeuronPruning();

    /// <summary>Makes a new instance of the seed being synthesized, for a live distillation teacher of its
    /// own (<see cref="TwinTeacher"/>). Without it a live teacher swaps its weights through the network's
    /// layers (<see cref="SnapshotTeacher"/>), which pins their shapes, so dead units are then removed only
    /// at the end; with it, or with no live teacher, they are removed after every kept pruning step and
    /// later steps train the smaller network (exact: folding has made their removal change no output).</summary>
    public Func<ISeedNetwork>? CreateTwin { get; set; }

    /// <summary>Synthesizes <paramref name="network"/> in place and returns its history.</summary>
    /// <param name="network">The seed, changed in place.</param>
    /// <param name="train">Training data.</param>
    /// <param name="validation">Held-out data that every decision uses.</param>
    /// <param name="progress">Receives each activity and each finished step.</param>
    /// <param name="cancellationToken">Stops between two training steps.</param>
    /// <param name="reportOnly">When given (the test set), its error is recorded in every history entry
    /// so that error-versus-size curves can be compared with other tools; it never steers a decision.</param>
    /// <param name="finish">Once cancelled, growth and pruning stop after the step in progress and the
    /// kept network is finished as usual (dead units removed, fine-tuned, measured): a long run
    /// stopped early still ends with a network and a history.</param>
    public SynthesisResult Run(ISeedNetwork network, ImageDataset train, ImageDataset validation,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default, ImageDataset? reportOnly = null,
        CancellationToken finish = default)
    {
        var s = _schedule;
        var module = (nn.Module<Tensor, Tensor>)network;
        var clock = Stopwatch.StartNew();
        var history = new List<SynthesisStep>();
        using var generator = new Generator(unchecked((ulong)(s.Training.Seed + 7919)));
        var step = 0;

        Distillation? teacher = null, refitTeacher = null;
        IDisposable? liveTeacher = null;
        try
        {
            return Synthesize();
        }
        finally
        {
            teacher?.Dispose();
            if (!ReferenceEquals(refitTeacher, teacher)) refitTeacher?.Dispose();
            liveTeacher?.Dispose();
        }

        double Train(int epochs, SynthesisPhase phase, string activity, ImageDataset? on = null, Distillation? distillation = null)
        {
            progress?.Report(new SynthesisProgress(phase, step, activity, null));
            // Retraining after pruning and the final fine-tuning share their rate and their iterate averaging.
            var afterGrowth = phase is SynthesisPhase.Prune or SynthesisPhase.Final;
            var rate = afterGrowth ? s.PruneLearningRate : s.Training.LearningRate;
            var average = afterGrowth ? s.AverageEpochs : 0;
            if (epochs > 0)
                new Trainer(s.Training with { Epochs = epochs, LearningRate = rate, Seed = s.Training.Seed + step, AverageEpochs = average }).Train(module, on ?? train, null, null, cancellationToken, distillation);
            return Evaluation.ErrorRate(module, validation, s.Training.EvaluationBatchSize);
        }

        SynthesisStep Record(SynthesisPhase phase, double error, int added = 0, int removed = 0, bool accepted = true, int retrainings = 0)
        {
            var cost = NetworkCost.Measure(network);
            double? test = reportOnly is null ? null : Evaluation.ErrorRate(module, reportOnly, s.Training.EvaluationBatchSize);
            var entry = new SynthesisStep(step, phase, cost.Connections, cost.Parameters, cost.Flops, error, added, removed, accepted, clock.Elapsed.TotalSeconds, test, retrainings, cost.Layers);
            history.Add(entry);
            progress?.Report(new SynthesisProgress(phase, step, phase.ToString().ToLowerInvariant(), entry));
            return entry;
        }

        SynthesisResult Synthesize()
        {
            var error = Train(s.SeedEpochs, SynthesisPhase.Seed, "training the seed");
            Record(SynthesisPhase.Seed, error);

            // Growth: until the target is met or the budget ends.
            for (int g = 0; g < s.MaxGrowthSteps && error > s.GrowthTargetError && !finish.IsCancellationRequested; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                step++;
                var neurons = 0;
                foreach (var policy in GrowthPolicies)
                {
                    progress?.Report(new SynthesisProgress(SynthesisPhase.Grow, step, "growing " + policy.Name, null));
                    neurons += policy.Grow(new GrowthContext(network, train, _kernels, s, generator)).NeuronsAdded;
                }
                error = Train(s.GrowthEpochs, SynthesisPhase.Grow, "training after growth");
                Record(SynthesisPhase.Grow, error, added: neurons);
            }

            if (s.ConvergeEpochs > 0 && !finish.IsCancellationRequested)
            {
                step++;
                error = Train(s.ConvergeEpochs, SynthesisPhase.Converge, "training the grown network further");
                Record(SynthesisPhase.Converge, error);
            }

            // Pruning: keep the smallest network within the tolerance of the target. A step that overshoots
            // is undone and retried with half the fraction, so the last steps creep up to the limit
            // instead of stopping a whole (coarse) step short of it; a run of accepted steps doubles it
            // back. A step over the limit is first retrained once more (PruneRetries). Convolutions also
            // lose area positions (partial-area convolution) at each step.
            var target = s.TargetError ?? error;
            if (s.DistillationWeight > 0 && s.DistillationLive)
            {
                // The teacher is the network as growth left it, the most accurate one of the run: pruning
                // and the final fine-tuning learn its outputs as well as the labels. Live, it sees each
                // batch as the student does (distorted), on any data (the refit's too).
                Func<Tensor, Tensor> logits;
                if (CreateTwin is { } create)
                {
                    var twin = new TwinTeacher(network, create);
                    (liveTeacher, logits) = (twin, twin.Logits);
                }
                else
                {
                    var snapshot = new SnapshotTeacher(network);
                    (liveTeacher, logits) = (snapshot, snapshot.Logits);
                }
                teacher = new Distillation(logits, s.DistillationWeight, s.DistillationTemperature);
                refitTeacher = teacher;
            }
            else if (s.DistillationWeight > 0)
            {
                // Recorded: the teacher's logits on the undistorted images, computed once (no extra forward pass).
                progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, step, "recording the teacher's outputs", null));
                teacher = Distillation.From(module, train, s.DistillationWeight, s.DistillationTemperature, s.Training.EvaluationBatchSize);
                if (s.Refit)
                {
                    using var onValidation = Distillation.From(module, validation, s.DistillationWeight, s.DistillationTemperature, s.Training.EvaluationBatchSize);
                    refitTeacher = teacher.Concat(onValidation);
                }
            }
            var shapesPinned = s.DistillationWeight > 0 && s.DistillationLive && CreateTwin is null;

            (bool Accepted, double Error, int Retrainings) Retrain(int epochs)
            {
                var error = Train(epochs, SynthesisPhase.Prune, "retraining after pruning", distillation: teacher);
                var accepted = error <= target + s.PruneTolerance;
                // Over the limit: retrain again before undoing, and judge the mean of the readings. A step
                // that only needed longer to recover, or that one noisy reading of 5,000 images put over,
                // is kept; one that really cost accuracy stays over. (Accepting on any single reading
                // under the limit would keep lucky readings: measured on LeNet-300-100, the kept network's
                // validation error stayed at 1.1% while its test error rose from 1.2% to 1.4%.)
                var retrainings = 0;
                var sum = error;
                for (; !accepted && retrainings < s.PruneRetries; retrainings++)
                {
                    error = Train(epochs, SynthesisPhase.Prune, "retraining again: over the target", distillation: teacher);
                    sum += error;
                    accepted = sum / (retrainings + 2) <= target + s.PruneTolerance;
                }
                return (accepted, error, retrainings);
            }

            // For FLOPs: once connection pruning has ended, steps that mask area positions alone (parameters go
            // only where folding then removes connections reading masked positions).
            void AreaTail(Holder best, double compression)
            {
                var areaFraction = s.AreaPruneFraction;
                var kept = 0;
                for (int t = 0; t < s.AreaTailSteps && areaFraction >= s.MinPruneFraction && !finish.IsCancellationRequested && !FlopsBudgetMet(); t++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    step++;
                    progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, step, $"masking {areaFraction:P0} of the convolutions' area", null));
                    if (AreaPruning!(areaFraction, train, generator).Prune(network, _kernels).AreaPositionsRemoved == 0) break;
                    InputFolding?.Prune(network, _kernels);
                    UnreadOutputs?.Prune(network, _kernels);
                    (var accepted, error, var retrainings) = Retrain(s.PruneEpochsAt(compression));
                    var unitsRemoved = accepted && !shapesPinned ? UnitPruning.Prune(network, _kernels).NeuronsRemoved : 0;
                    Record(SynthesisPhase.Prune, error, removed: unitsRemoved, accepted: accepted, retrainings: retrainings);
                    if (accepted)
                    {
                        best.Replace(new NetworkSnapshot(network));
                        if (s.PruneRecoverySteps > 0 && ++kept >= s.PruneRecoverySteps) (areaFraction, kept) = (Math.Min(s.AreaPruneFraction, areaFraction * 2), 0);
                    }
                    else
                    {
                        best.Current!.Restore();
                        (areaFraction, kept) = (areaFraction / 2, 0);
                    }
                }
            }

            bool FlopsBudgetMet() =>
                s.StopAtFlopsCompression is { } budget && (double)network.Topology.ReferenceFlops / NetworkCost.Measure(network).Flops >= budget;

            // Sparse variational dropout first, when on: one step that masks every weight whose learned dropout
            // rate says the data does not need it, kept or undone as any pruning step.
            void Sparsify(Holder best)
            {
                step++;
                progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, step, "training with sparse variational dropout", null));
                // Costs only matter for convolutions (a dense weight is one multiply-accumulate).
                var costs = GrowthGradients.MaskedLayers(network)
                    .Where(l => l.Layer is MaskedConv2d)
                    .ToDictionary(l => l.Layer, l => MagnitudePruning.ConnectionCosts((MaskedConv2d)l.Layer, network.Topology.Layers[l.Index]));
                using (var dropout = new SparseVariationalDropout(module.modules().OfType<MaskedLayer>(), train.Count, s.VariationalThreshold, s.VariationalWarmup,
                    connectionCosts: costs, costExponent: s.VariationalCostExponent))
                {
                    // Adam: the KL term's gradient per weight is divided by the training set's size. No teacher:
                    // a live one would run through the noisy layers.
                    var options = s.Training with { Epochs = s.VariationalEpochs, Optimizer = OptimizerKind.Adam, LearningRate = s.VariationalLearningRate, WeightDecay = 0, Seed = s.Training.Seed + step, AverageEpochs = 0 };
                    new Trainer(options).Train(module, train, null, null, cancellationToken, null, dropout);
                    dropout.Sparsify();
                }
                InputFolding?.Prune(network, _kernels);
                UnreadOutputs?.Prune(network, _kernels);
                var compression = (double)network.Topology.ReferenceParameters / NetworkCost.Measure(network).Parameters;
                (var accepted, error, var retrainings) = Retrain(s.PruneEpochsAt(compression));
                var unitsRemoved = accepted && !shapesPinned ? UnitPruning.Prune(network, _kernels).NeuronsRemoved : 0;
                Record(SynthesisPhase.Prune, error, removed: unitsRemoved, accepted: accepted, retrainings: retrainings);
                if (accepted) best.Replace(new NetworkSnapshot(network));
                else best.Current!.Restore();
            }

            var fraction = s.PruneFraction;
            var streak = 0;
            using (var best = new Holder())
            {
                best.Replace(new NetworkSnapshot(network));
                if (s.VariationalEpochs > 0 && !finish.IsCancellationRequested) Sparsify(best);
                // Undone, the variational step leaves the converged network kept.
                var keptParameters = history.Last(h => h.Accepted).Parameters;
                for (int p = 0; p < s.MaxPruneSteps && fraction >= s.MinPruneFraction && !finish.IsCancellationRequested; p++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    step++;
                    progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, step, $"pruning {fraction:P0}", null));
                    var compression = (double)network.Topology.ReferenceParameters / keptParameters;
                    var ceiling = s.PruneFractionAt(compression);
                    fraction = Math.Min(fraction, ceiling);
                    var liveBefore = Regrowth is null ? null : ConnectionRegrowth.LiveCounts(network);
                    var saliency = s.PruneScore == PruneScore.Fisher
                        ? FisherSaliency.Factors(network, train, FisherBatches, FisherBatchSize, generator) : null;
                    var pruned = ConnectionPruning(new ConnectionPruningStep(fraction, s.PruneCostExponentAt(compression), saliency)).Prune(network, _kernels);
                    var areaFraction = s.AreaPruneFraction * fraction / s.PruneFraction;
                    var areas = AreaPruning is null || areaFraction <= 0 ? null : AreaPruning(areaFraction, train, generator).Prune(network, _kernels);
                    var weak = NeuronPruning?.Invoke(train, generator).Prune(network, _kernels);
                    if (pruned.ConnectionsRemoved == 0 && (areas?.AreaPositionsRemoved ?? 0) == 0 && (weak?.ConnectionsRemoved ?? 0) == 0) break;
                    if (Regrowth is not null)
                    {
                        progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, step, "growing connections back by gradient", null));
                        Regrowth.Regrow(new GrowthContext(network, train, _kernels, s, generator), liveBefore!);
                    }
                    InputFolding?.Prune(network, _kernels);
                    UnreadOutputs?.Prune(network, _kernels);
                    (var accepted, error, var retrainings) = Retrain(s.PruneEpochsAt(compression));
                    // A kept step's dead units go now (exact after folding), so that later steps train a smaller network.
                    var unitsRemoved = accepted && !shapesPinned ? UnitPruning.Prune(network, _kernels).NeuronsRemoved : 0;
                    // Units removed: physically (weak units cut off in this step among them), else cut off.
                    Record(SynthesisPhase.Prune, error, removed: accepted && !shapesPinned ? unitsRemoved : weak?.NeuronsRemoved ?? 0, accepted: accepted, retrainings: retrainings);
                    if (accepted)
                    {
                        best.Replace(new NetworkSnapshot(network));
                        keptParameters = history[^1].Parameters;
                        if (s.StopAtCompression is { } stop && (double)network.Topology.ReferenceParameters / keptParameters >= stop) break;
                        if (s.PruneRecoverySteps > 0 && ++streak >= s.PruneRecoverySteps && fraction < ceiling)
                        {
                            fraction = Math.Min(ceiling, fraction * 2);
                            streak = 0;
                        }
                    }
                    else
                    {
                        best.Current!.Restore();
                        fraction /= 2;
                        streak = 0;
                    }
                }
                best.Current!.Restore();
                if (AreaPruning is not null) AreaTail(best, (double)network.Topology.ReferenceParameters / keptParameters);
            }

            // Final: fine-tune (on the validation data too when refitting: the validation error recorded is
            // then the one before the refit), then remove dead neurons physically, measure. Folding first makes
            // every dead unit's removal exact, so fine-tuning before the removal trains the same function; and a
            // live teacher, which swaps weights through the network's layers, needs the shapes it was taken with.
            step++;
            InputFolding?.Prune(network, _kernels);
            UnreadOutputs?.Prune(network, _kernels);
            if (s.Refit && s.FinalEpochs > 0)
            {
                error = Evaluation.ErrorRate(module, validation, s.Training.EvaluationBatchSize);
                using var all = ImageDataset.Concat($"{train.Name}+{validation.Name}", train, validation);
                Train(s.FinalEpochs, SynthesisPhase.Final, "fine-tuning the kept network on training and validation data", all, refitTeacher);
            }
            else
            {
                error = Train(s.FinalEpochs, SynthesisPhase.Final, "fine-tuning the kept network", distillation: teacher);
            }
            var removed = UnitPruning.Prune(network, _kernels).NeuronsRemoved;
            Record(SynthesisPhase.Final, error, removed: removed);
            return new SynthesisResult(history, target, clock.Elapsed.TotalSeconds, _kernels.Name);
        }
    }

    /// <summary>Owns the current best snapshot, disposing the one it replaces.</summary>
    sealed class Holder : IDisposable
    {
        public NetworkSnapshot? Current { get; private set; }

        public void Replace(NetworkSnapshot snapshot)
        {
            Current?.Dispose();
            Current = snapshot;
        }

        public void Dispose() => Current?.Dispose();
    }
}

/// <summary>What one pruning step's connection pruning is given: the fraction, the cost exponent, and
/// per-weight saliency factors by masked layer index (null: magnitude alone).</summary>
public sealed record ConnectionPruningStep(double Fraction, double CostExponent, IReadOnlyDictionary<int, float[]>? Saliency);

/// <summary>A finished synthesis: every step, the validation target pruning kept, time, and which kernels ran.</summary>
public sealed record SynthesisResult(IReadOnlyList<SynthesisStep> History, double TargetError, double Seconds, string Kernels);
