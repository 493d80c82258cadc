using TorchSharp;
using System.Diagnostics;
using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// One run of <see cref="Synthesizer"/>: the state a synthesis carries from step to step (the network,
/// the history, the step number, the last validation error, the distillation teacher) and its phases:
/// seed, growth, convergence, pruning (<c>SynthesisRun.Pruning.cs</c>) and the final measurement. Loops keep
/// their counters in <see cref="SynthesisPosition"/>, so that a checkpoint taken between two steps
/// (<c>SynthesisRun.Checkpoints.cs</c>) resumes each loop where it stood.
/// </summary>
sealed partial class SynthesisRun : IDisposable
{
    readonly Synthesizer _owner;
    readonly SynthesisSchedule _s;
    readonly Schedules.PruningSchedule _schedule;
    readonly IMaskKernels _kernels;
    readonly ISeedNetwork _network;
    readonly nn.Module<Tensor, Tensor> _module;
    readonly ImageDataset _train, _validation;
    readonly ImageDataset? _reportOnly;
    readonly IProgress<SynthesisProgress>? _progress;
    readonly CancellationToken _cancellationToken, _finish;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly List<SynthesisStep> _history = new();
    readonly Generator _generator;
    readonly Device _device;

    readonly SynthesisPosition _at = new();
    readonly WorkTimes _times = new();
    int _step, _divergences;
    double _error;
    Distillation? _teacher;

    public SynthesisRun(Synthesizer owner, SynthesisSchedule schedule, IMaskKernels kernels, ISeedNetwork network,
        ImageDataset train, ImageDataset validation,
        IProgress<SynthesisProgress>? progress, CancellationToken cancellationToken, ImageDataset? reportOnly,
        CancellationToken finish, SynthesisCheckpoint? resumeFrom, SynthesisCheckpoint? pruneFrom = null,
        SynthesisCheckpoint? sparsifiedFrom = null)
    {
        (_owner, _s, _kernels, _network, _train, _validation) = (owner, schedule, kernels, network, train, validation);
        _schedule = new Schedules.PruningSchedule(schedule.Pruning);
        (_progress, _cancellationToken, _reportOnly) = (progress, cancellationToken, reportOnly);
        _finish = finish;
        _module = (nn.Module<Tensor, Tensor>)network;
        _device = owner.Device ?? ComputeDevices.Default;
        _module.to(_device);
        _generator = new Generator(unchecked((ulong)(schedule.Training.Seed + 7919)));
        _checkpoints = owner.Checkpoints;
        if (resumeFrom is not null) Resume(resumeFrom);
        if (pruneFrom is not null) PruneAgain(pruneFrom, sparsifiedFrom);
    }

    public SynthesisResult Execute()
    {
        if (_at.Stage < SynthesisStage.Seeded)
        {
            CheckRate();
            _error = Train(_s.SeedEpochs, SynthesisPhase.Seed, "training the seed");
            Record(SynthesisPhase.Seed, _error);
            _at.Stage = SynthesisStage.Seeded;
            Checkpoint();
        }
        if (_at.Stage < SynthesisStage.Grown)
        {
            Grow();
            _at.Stage = SynthesisStage.Grown;
        }
        if (_at.Stage < SynthesisStage.Converged)
        {
            // Asked to finish before convergence, the phases before were cut short: not the network this schedule
            // converges to. Asked during it, the epochs still ran in full: the converged network is saved.
            var cutShort = Finishing;
            var converge = _s.ConvergeEpochs > 0 && !cutShort;
            if (converge)
            {
                _step++;
                _error = Train(_s.ConvergeEpochs, SynthesisPhase.Converge, "training the grown network further",
                    keepBestEpoch: true);
                Record(SynthesisPhase.Converge, _error);
            }
            _target = Limit(_error);
            _at.Stage = SynthesisStage.Converged;
            if (!cutShort) SaveConverged();
            if (converge) Checkpoint();
        }
        SetUpTeacher();
        Prune();
        Finish();
        return new SynthesisResult(_history, _target, Seconds, _kernels.Name)
        {
            Divergences = _divergences, LearningRate = _at.LearningRate, GrowthStop = _at.GrowthStop, PruneStop =
                _at.PruneStop,
            WorkSeconds = _times.Seconds, Device = ComputeDevices.Describe(_device),
            TimeLimitReached = TimeLimitReached,
        };
    }

    // The rate the seed tolerates, found once (a resumed run has it in its position).
    void CheckRate()
    {
        if (_at.LearningRate > 0) return;
        _at.LearningRate = _s.Training.LearningRate;
        if (_s.RateCheckBatches == 0) return;
        _progress?.Report(
            new SynthesisProgress(SynthesisPhase.Seed, _step, $"checking learning rate {_s.Training.LearningRate:G3}",
            null));
        _at.LearningRate =
            _times.Measure(Work.RateCheck, () => RateCheck.Find(_network, _train, _s.Training, _s.RateCheckBatches,
            message =>
                _progress?.Report(new SynthesisProgress(SynthesisPhase.Seed, _step, message, null, Notice: true)),
                    _cancellationToken));
    }

    /// <summary>The pruning limit: absolute when the user gave one, else the converged network's error plus its
    /// sampling noise.</summary>
    double Limit(double converged) =>
        (_s.Pruning.TargetError
            ?? converged + _s.Pruning.LimitStandardErrors * ValidationNoise.StandardError(converged,
            _validation.Count)) + _s.Pruning.Tolerance;

    // Growth: until it stops paying (steps in a row gaining within the validation noise), the network reaches the dense
    // reference's size, nothing more can grow (width caps), a given target is met, or the step budget ends.
    void Grow()
    {
        while (_at.GrowthStop is null && !Finishing)
        {
            if (GrowthStopReason() is { } stop)
            {
                _at.GrowthStop = stop;
                break;
            }
            _cancellationToken.ThrowIfCancellationRequested();
            _step++;
            var neurons = 0;
            foreach (var policy in _owner.GrowthPolicies)
            {
                _progress?.Report(new SynthesisProgress(SynthesisPhase.Grow, _step, "growing " + policy.Name, null));
                neurons += _times.Measure(Work.Growth,
                    () => policy.Grow(
                        new GrowthContext(_network, _train, _kernels, _s.Growth, _s.Training.BatchSize,
                        _generator))).NeuronsAdded;
            }
            var grownBy = NetworkCost.Measure(_network).Connections - _history[^1].Connections;
            _error = Train(_s.Growth.Epochs, SynthesisPhase.Grow, "training after growth");
            Record(SynthesisPhase.Grow, _error, added: neurons);
            _at.GrowthSteps++;
            if (grownBy <= 0 && neurons == 0) _at.GrowthStop = "nothing left to grow (width caps)";
            else if (_s.Growth.MinGain >= 0) _at.GrowthStop = StalledGrowth();
            Checkpoint();
        }
        _at.GrowthStop ??= FinishReason;
    }

    // Null while growth pays; else why it stopped: the last step short of Growth.MinGain. (Waiting for a second such
    // step in a row was measured: one more growth step every time, and no better grown network; docs/results.md.)
    string? StalledGrowth()
    {
        var readings = _history.Where(h => h.Phase is SynthesisPhase.Seed or SynthesisPhase.Grow)
            .Select(h => h.ValidationError).ToList();
        var stalled = GrowthStall.Count(readings, _s.Growth.MinGain, _validation.Count);
        if (stalled == 0) return null;
        var path = string.Join(" -> ", readings.TakeLast(2).Select(e => e.ToString("P2")));
        return $"gain below {_s.Growth.MinGain:0.###} standard error(s) of the validation error ({path})";
    }

    string? GrowthStopReason()
    {
        if (_at.GrowthSteps >= _s.Growth.MaxSteps) return $"step budget ({_s.Growth.MaxSteps} growth steps)";
        if (_s.Growth.TargetError is { } target && _error <= target) return $"growth target {target:P2} met";
        if (NetworkCost.Measure(_network).Parameters >= _network.Topology.ReferenceParameters)
            return "the dense reference's size reached";
        return null;
    }

    // The teacher is the network as it is now; on a resumed run, the network as it was when first set up, put
    // back for the set-up and replaced by the network as it is after.
    void SetUpTeacher()
    {
        if (_s.Distillation.Weight <= 0) return;
        if (_teacherState is null)
        {
            _teacherState = NetworkState.Capture(_network);
            TeachFromNetwork();
            return;
        }
        var now = NetworkState.Capture(_network);
        _teacherState.ApplyTo(_network);
        TeachFromNetwork();
        now.ApplyTo(_network);
    }

    // The teacher is the network as growth left it, the most accurate one of the run: pruning's retraining learns its
    // outputs as well as the labels, recorded once on the undistorted images (no extra forward pass per batch; a live
    // teacher on the distorted batches was measured no better: docs/results.md, ablations).
    void TeachFromNetwork()
    {
        _progress?.Report(new SynthesisProgress(SynthesisPhase.Prune, _step, "recording the teacher's outputs", null));
        _teacher = Distillation.From(_module, _train, _s.Distillation.Weight, _s.Distillation.Temperature,
            _s.Training.EvaluationBatchSize);
    }

    // Final: remove dead neurons physically (exact after folding), measure. No fine-tuning: the kept network, measured
    // within the limit, is the final one (fine-tuning it further raised its validation error; docs/results.md).
    void Finish()
    {
        // Cancelled between the last step and this one: stopped there like between any two steps.
        _cancellationToken.ThrowIfCancellationRequested();
        _step++;
        Fold();
        _error = Train(0, SynthesisPhase.Final, "measuring the kept network");
        var removed = _times.Measure(Work.Pruning, () => _owner.UnitPruning.Prune(_network, _kernels)).NeuronsRemoved;
        Record(SynthesisPhase.Final, _error, removed: removed);
    }

    /// <summary>Trains for <paramref name="epochs"/> (none: only measures) and returns the validation error; with
    /// <paramref name="keepBestEpoch"/>, ends at the best epoch when the last is clearly worse (<see
    /// cref="BestEpoch"/>).</summary>
    double Train(int epochs, SynthesisPhase phase, string activity, ImageDataset? on = null,
        Distillation? distillation = null, bool keepBestEpoch = false)
    {
        _progress?.Report(new SynthesisProgress(phase, _step, activity, null));
        // Retraining after pruning has its own rate.
        var baseRate = _at.LearningRate > 0 ? _at.LearningRate : _s.Training.LearningRate;
        var rate = phase is SynthesisPhase.Prune
            ? _s.Pruning.LearningRate ?? _s.Pruning.RateFactor * baseRate
            : baseRate;
        if (epochs > 0)
        {
            // A divergence takes the network back to where this training began (training never changes shapes) and
            // runs it again at half the rate; past the retries it ends the run, naming the layer. Nothing non-finite
            // is recorded or checkpointed: both come after a training that ended finite.
            using var start = _owner.DivergenceRetries > 0 ? new NetworkSnapshot(_network) : null;
            for (int attempt = 0; ; attempt++)
            {
                using var best = keepBestEpoch ? new BestEpoch(_network, _validation.Count) : null;
                try
                {
                    _times.Measure(Work.Training, () =>
                        new Trainer(
                            _s.Training with { Epochs = epochs, LearningRate = rate, Seed = _s.Training.Seed + _step })
                        .Train(_module, on ?? _train, best is null ? null : _validation, best, _cancellationToken,
                            distillation));
                    if (best?.RestoreIfClearlyBetter() is { } kept)
                        _progress?.Report(new SynthesisProgress(phase, _step, kept, null, Notice: true));
                    break;
                }
                catch (DivergenceException e) when (attempt < _owner.DivergenceRetries)
                {
                    start!.Restore();
                    rate /= 2;
                    _divergences++;
                    _progress?.Report(
                        new SynthesisProgress(phase, _step,
                        $"{e.Message} Back to the network before this training; again at rate {rate:G3}", null,
                        Notice: true));
                }
            }
        }
        return _times.Measure(Work.Evaluation, () =>
            Evaluation.ErrorRate(_module, _validation, _s.Training.EvaluationBatchSize));
    }

    SynthesisStep Record(SynthesisPhase phase, double error, int added = 0, int removed = 0, bool accepted = true)
    {
        // Growth, pruning and resuming replace tensors: a step must never leave one of them off the run's device.
        if (ComputeDevices.Misplaced(_module, _device) is { Count: > 0 } misplaced)
            throw new InvalidOperationException($"After step {_step} ({phase}), {string.Join(", ", misplaced)} left " +
                                                $"{ComputeDevices.Describe(_device)}, the run's device.");
        var cost = NetworkCost.Measure(_network);
        double? test =
            _reportOnly is null ? null
                : _times.Measure(Work.Evaluation, () =>
                Evaluation.ErrorRate(_module, _reportOnly, _s.Training.EvaluationBatchSize));
        var entry =
            new SynthesisStep(_step, phase, cost.Connections, cost.Parameters, cost.Flops, error, added, removed,
                accepted, Seconds, test, cost.Layers)
        {
            ResidentBytes = ProcessMemory.Resident(),
        };
        _history.Add(entry);
        _progress?.Report(new SynthesisProgress(phase, _step, phase.ToString().ToLowerInvariant(), entry));
        return entry;
    }

    /// <summary>Why a run finished early: the time limit, or the caller asked.</summary>
    string FinishReason => TimeLimitReached
        ? $"time limit ({_owner.TimeLimit!.Value.TotalMinutes:G4} minutes)"
        : "finish requested";

    // Set once the run has decided to finish because its time passed (a limit passing after the last decision is not).
    bool TimeLimitReached { get; set; }

    // The clock is read where the run decides, not by a timer: a timer's callback can come late on a busy machine.
    bool Finishing
    {
        get
        {
            if (_finish.IsCancellationRequested) return true;
            if (_owner.TimeLimit is { } limit && _clock.Elapsed >= limit) TimeLimitReached = true;
            return TimeLimitReached;
        }
    }

    public void Dispose()
    {
        _teacher?.Dispose();
        _generator.Dispose();
    }
}
