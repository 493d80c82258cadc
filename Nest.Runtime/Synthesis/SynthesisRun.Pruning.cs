using Nest.Runtime.Growth;
using Nest.Runtime.Pruning;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

// The pruning phase of a run: the optional variational step, the magnitude pruning loop, the area tail.
sealed partial class SynthesisRun
{
    // Pruning: keep the smallest network within the tolerance of the target. A step that overshoots is undone
    // and retried with half the fraction, so the last steps creep up to the limit instead of stopping a whole
    // (coarse) step short of it; a run of accepted steps doubles it back. Convolutions also lose area positions
    // (partial-area convolution) at each step. Between two steps the network is the kept one (a step is kept or
    // undone before the next), so a resumed run starts from it as the best.
    void Prune()
    {
        using var best = new Holder();
        best.Replace(new NetworkSnapshot(_network));
        if (_at.Stage < SynthesisStage.Sparsified)
        {
            var sparsify = _s.Variational.Epochs > 0 && !Finishing;
            if (sparsify) Sparsify(best);
            // Undone, the variational step leaves the converged network kept.
            (_at.Fraction, _at.Streak, _at.KeptParameters) =
                (_s.Pruning.Fraction, 0, _history.Last(h => h.Accepted).Parameters);
            _at.Stage = SynthesisStage.Sparsified;
            // The run's longest single step: never left to the checkpoint interval, and kept apart to prune again.
            if (sparsify)
            {
                SaveSparsified();
                Checkpoint(due: true);
            }
        }
        if (_at.Stage < SynthesisStage.Pruned)
        {
            PruneSteps(best);
            _at.PruneStop ??= PruneStopReason();
            best.Current!.Restore();
            (_at.Stage, _at.AreaFraction) = (SynthesisStage.Pruned, _s.Area.Fraction);
        }
        if (_owner.AreaPruning is not null) AreaTail(best);
    }

    void PruneSteps(Holder best)
    {
        while (_at.PruneSteps < _s.Pruning.MaxSteps && _schedule.Allows(_at.Fraction) && !_at.PruneEnded
               && !Finishing)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _step++;
            _progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, _step, $"pruning {_at.Fraction:P0}", null));
            var compression = (double)_network.Topology.ReferenceParameters / _at.KeptParameters;
            var ceiling = _schedule.Ceiling(compression);
            var fraction = _at.Fraction = Math.Min(_at.Fraction, ceiling);
            var step = new ConnectionPruningStep(fraction);
            var pruned = _times.Measure(Work.Pruning, () => _owner.ConnectionPruning(step).Prune(_network, _kernels));
            var areaFraction = _s.Area.Fraction * fraction / _s.Pruning.Fraction;
            var areas = _owner.AreaPruning is null || areaFraction <= 0 ? null
                : _times.Measure(Work.Pruning,
                    () => _owner.AreaPruning(areaFraction, _train, _generator).Prune(_network, _kernels));
            if (pruned.ConnectionsRemoved == 0 && (areas?.AreaPositionsRemoved ?? 0) == 0)
            {
                _at.PruneStop = "nothing left to prune";
                return;
            }
            Fold();
            var accepted = RetrainOrUndo(_schedule.Epochs);
            Settle(best, accepted);
            if (accepted)
            {
                _at.KeptParameters = _history[^1].Parameters;
                if (_s.Pruning.StopAtCompression is { } stop
                    && (double)_network.Topology.ReferenceParameters / _at.KeptParameters >= stop)
                    _at.PruneEnded = true;
            }
            if (!_at.PruneEnded) (_at.Fraction, _at.Streak) = _schedule.After(fraction, _at.Streak, accepted, ceiling);
            _at.PruneSteps++;
            Checkpoint();
        }
    }

    // Why the loop above ended, when it ended by its own condition.
    string PruneStopReason()
    {
        if (_at.PruneEnded) return $"size budget ({_s.Pruning.StopAtCompression:G4}x fewer parameters)";
        if (!_schedule.Allows(_at.Fraction))
            return $"validation limit {_target:P2} " +
                   $"(steps over it undone down to a {_s.Pruning.MinFraction:P0} fraction)";
        if (_at.PruneSteps >= _s.Pruning.MaxSteps) return $"step budget ({_s.Pruning.MaxSteps} pruning steps)";
        return FinishReason;
    }

    // Exact after any step: connections reading a constant go into biases, outputs nothing reads are masked.
    void Fold()
    {
        _times.Measure(Work.Pruning, () =>
        {
            _owner.InputFolding?.Prune(_network, _kernels);
            return _owner.UnreadOutputs?.Prune(_network, _kernels);
        });
    }

    // A retraining that diverges past its retries leaves a network that no rate tried here could train: the step is
    // undone as one over the limit (recorded at 100% error), and pruning goes on from the kept network at a smaller
    // fraction, instead of the run ending with what it had kept lost to its last checkpoint.
    bool RetrainOrUndo(int epochs)
    {
        try
        {
            return Retrain(epochs);
        }
        catch (DivergenceException e)
        {
            _divergences++;
            _error = 1;
            _module.zero_grad();   // the diverged gradients go too; the weights go back in Settle
            var notice = $"{e.Message} The step is undone.";
            _progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, _step, notice, null, Notice: true));
            return false;
        }
    }

    /// <summary>The activity of a retraining that goes on after its first epoch (or runs all its epochs at
    /// once).</summary>
    internal const string RetrainingFurther = "retraining after pruning: near the limit";

    // Retrains after a step; sets the error and says whether the step is kept. A step over the limit is undone at
    // once: retraining it again and judging the mean of the readings almost never kept one (docs/results.md).
    bool Retrain(int epochs)
    {
        // Far from the limit after one epoch: recovered, kept, and the rest of the budget saved.
        if (_s.Pruning.RecoveredStandardErrors is { } margin && epochs > 1)
        {
            var first = Train(1, SynthesisPhase.Prune, "retraining after pruning", distillation: _teacher);
            if (first <= _target - margin * ValidationNoise.StandardError(_target, _validation.Count))
            {
                _error = first;
                return true;
            }
            epochs--;
        }
        _error = Train(epochs, SynthesisPhase.Prune, RetrainingFurther, distillation: _teacher);
        return _error <= _target;
    }

    // Records the step, then keeps it (the best network from now on) or undoes it. A kept step's dead units go
    // at once (exact after folding), so that later steps train a smaller network.
    void Settle(Holder best, bool accepted)
    {
        var unitsRemoved = accepted
            ? _times.Measure(Work.Pruning, () => _owner.UnitPruning.Prune(_network, _kernels)).NeuronsRemoved
            : 0;
        Record(SynthesisPhase.Prune, _error, removed: unitsRemoved, accepted: accepted);
        if (accepted) best.Replace(new NetworkSnapshot(_network));
        else best.Current!.Restore();
    }

    // For FLOPs: once connection pruning has ended, steps that mask area positions alone (parameters go only
    // where folding then removes connections reading masked positions).
    void AreaTail(Holder best)
    {
        while (_at.TailSteps < _s.Area.TailSteps && _schedule.Allows(_at.AreaFraction)
               && !Finishing && !FlopsBudgetMet())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _step++;
            var areaFraction = _at.AreaFraction;
            var activity = $"masking {areaFraction:P0} of the convolutions' area";
            _progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, _step, activity, null));
            var masked = _times.Measure(Work.Pruning,
                () => _owner.AreaPruning!(areaFraction, _train, _generator).Prune(_network, _kernels));
            if (masked.AreaPositionsRemoved == 0) return;
            Fold();
            var accepted = RetrainOrUndo(_schedule.Epochs);
            Settle(best, accepted);
            (_at.AreaFraction, _at.TailStreak) =
                _schedule.After(areaFraction, _at.TailStreak, accepted, _s.Area.Fraction);
            _at.TailSteps++;
            Checkpoint();
        }
    }

    bool FlopsBudgetMet() =>
        _s.Area.StopAtFlopsCompression is { } budget
        && (double)_network.Topology.ReferenceFlops / NetworkCost.Measure(_network).Flops >= budget;

    // Sparse variational dropout first, when on: one step that masks every weight whose learned dropout rate
    // says the data does not need it, kept or undone as any pruning step.
    void Sparsify(Holder best)
    {
        _step++;
        _progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, _step, "training with sparse variational dropout",
            null));
        // Costs only matter for convolutions (a dense weight is one multiply-accumulate), and only with the factor on.
        var costs = _s.Variational.CostExponent <= 0 ? null : GrowthGradients.MaskedLayers(_network)
            .Where(l => l.Layer is MaskedConv2d)
            .ToDictionary(l => l.Layer,
                l => ConnectionCosts.Of((MaskedConv2d)l.Layer, _network.Topology.Layers[l.Index]));
        using (var dropout = new SparseVariationalDropout(_module.modules().OfType<MaskedLayer>(), _train.Count,
            _s.Variational.Threshold, _s.Variational.Warmup, connectionCosts: costs,
            costExponent: _s.Variational.CostExponent))
        {
            // Adam: the KL term's gradient per weight is divided by the training set's size. No teacher: a live
            // one would run through the noisy layers.
            var options = _s.Training with
            {
                Epochs = _s.Variational.Epochs, Optimizer = OptimizerKind.Adam,
                LearningRate = _s.Variational.LearningRate, WeightDecay = 0, Seed = _s.Training.Seed + _step,
            };
            new Trainer(options).Train(_module, _train, null, null, _cancellationToken, null, dropout);
            dropout.Sparsify();
        }
        Fold();
        Settle(best, RetrainOrUndo(_schedule.Epochs));
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
