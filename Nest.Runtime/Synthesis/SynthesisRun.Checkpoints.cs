using System.Text.Json;

namespace Nest.Runtime.Synthesis;

// Checkpoints of a run: taken between two steps (every CheckpointStore.Every steps, and at the first step
// boundary after a finish request, so that a run stopped early with Ctrl+C can later be resumed as if it never
// stopped), and a run resumed from one.
sealed partial class SynthesisRun
{
    readonly CheckpointStore? _checkpoints;
    NetworkState? _teacherState;
    double _target, _secondsBefore;
    int _stepsSinceCheckpoint;
    bool _checkpointsFrozen;

    // Computed once, when a checkpoint first needs it.
    string Fingerprint => _fingerprint ??= Data.DataFingerprint.Of(_train, _validation);
    string? _fingerprint;

    /// <summary>Run time, a resumed run's earlier time included.</summary>
    double Seconds => _secondsBefore + _clock.Elapsed.TotalSeconds;

    // Once a finish request is seen, the checkpoint then written holds the run as it would have gone on; the
    // finishing (a shortened schedule) must not overwrite it.
    void Checkpoint(bool due = false)
    {
        if (_checkpoints is null || _checkpointsFrozen) return;
        var finishing = Finishing;
        if (++_stepsSinceCheckpoint < _checkpoints.Every && !finishing && !due) return;
        var path = _times.Measure(Work.Checkpoints, () => _checkpoints.Save(Capture()));
        _stepsSinceCheckpoint = 0;
        _checkpointsFrozen = finishing;
        _progress?.Report(new SynthesisProgress(_history[^1].Phase, _step, "checkpoint " + path, null));
    }

    SynthesisCheckpoint Capture()
    {
        var header =
            new CheckpointHeader(_network.Topology.Name, SynthesisCheckpoint.ScheduleJson(_s), _train.Count,
                _validation.Count, _step, _error, _target, Seconds,
            Copy(_at), _history.ToList(), _divergences, Fingerprint);
        using var state = _generator.get_state();
        return new SynthesisCheckpoint(header, state.bytes.ToArray(), NetworkState.Capture(_network), _teacherState);
    }

    /// <summary>Puts the run where <paramref name="checkpoint"/> left it: the network resized and filled, the random
    /// stream, the loops' position, the history.</summary> <exception cref="InvalidOperationException">The checkpoint
    /// is of another seed, schedule or data split (named).</exception>
    void Resume(SynthesisCheckpoint checkpoint)
    {
        checkpoint.EnsureResumable(_network.Topology.Name, _s, _train.Count, _validation.Count, Fingerprint);
        Apply(checkpoint);
    }

    /// <summary>Puts the run where the converged network of another run left it
    /// (<see cref="CheckpointStore.ConvergedPath"/>), to prune it under this run's pruning options: the limit is set
    /// again from the converged error under them, and the run's own converged checkpoint is written from it.</summary>
    /// <exception cref="InvalidOperationException">Not a converged network of this seed, schedule (but for its pruning
    /// records) and data (named).</exception>
    /// <remarks>With <paramref name="sparsified"/> (the same run's network once its variational step was settled),
    /// the run goes on from there instead, its own converged and sparsified checkpoints written from the two: the
    /// variational step's training is not repeated, and the run still ends as a fresh one would.</remarks>
    /// <exception cref="InvalidOperationException"><paramref name="sparsified"/> is not of the same run and this
    /// schedule but for <see cref="SynthesisCheckpoint.LoopRecords"/> (named).</exception>
    void PruneAgain(SynthesisCheckpoint converged, SynthesisCheckpoint? sparsified = null)
    {
        converged.EnsurePrunable(_network.Topology.Name, _s, _train.Count, _validation.Count, Fingerprint);
        sparsified?.EnsurePrunableAfterSparsifying(_network.Topology.Name, _s, _train.Count, _validation.Count,
            Fingerprint);
        static string Key(SynthesisStep h) => $"{h.Step} {h.Phase} {h.Connections} {h.ValidationError:R}";
        if (sparsified is not null && !converged.Header.History.Select(Key)
                .SequenceEqual(sparsified.Header.History.Take(converged.Header.History.Count).Select(Key)))
            throw new InvalidOperationException("The sparsified network is not of the run of the converged one.");
        Apply(converged);
        _target = Limit(_error);
        SaveConverged();
        if (sparsified is null) return;
        _history.Clear();
        Apply(sparsified);
        // The magnitude loop starts as the variational step leaves it under this schedule's loop options.
        (_at.Fraction, _at.Streak) = (_s.Pruning.Fraction, 0);
        SaveSparsified();
    }

    // The network once the variational step is settled, kept apart from the step checkpoints for the whole run.
    void SaveSparsified()
    {
        if (_checkpoints is null) return;
        var path = _times.Measure(Work.Checkpoints, () => _checkpoints.SaveSparsified(Capture()));
        _progress?.Report(new SynthesisProgress(_history[^1].Phase, _step, "sparsified network " + path, null));
    }

    // The converged network, kept apart from the step checkpoints for the whole run.
    void SaveConverged()
    {
        if (_checkpoints is null) return;
        var path = _times.Measure(Work.Checkpoints, () => _checkpoints.SaveConverged(Capture()));
        _progress?.Report(new SynthesisProgress(_history[^1].Phase, _step, "converged network " + path, null));
    }

    void Apply(SynthesisCheckpoint checkpoint)
    {
        var h = checkpoint.Header;
        checkpoint.Network.ApplyTo(_network);
        using (var state = TorchSharp.torch.tensor(checkpoint.GeneratorState)) _generator.set_state(state);
        _teacherState = checkpoint.Teacher;
        (_step, _error, _target, _secondsBefore, _divergences) = (h.Step, h.Error, h.Target, h.Seconds, h.Divergences);
        _history.AddRange(h.History);
        var p = h.Position;
        (_at.Stage, _at.GrowthSteps, _at.PruneSteps, _at.Fraction, _at.Streak, _at.KeptParameters, _at.PruneEnded,
            _at.TailSteps, _at.AreaFraction, _at.TailStreak) =
            (p.Stage, p.GrowthSteps, p.PruneSteps, p.Fraction, p.Streak, p.KeptParameters, p.PruneEnded, p.TailSteps,
                p.AreaFraction, p.TailStreak);
        (_at.LearningRate, _at.GrowthStop, _at.PruneStop) = (p.LearningRate, p.GrowthStop, p.PruneStop);
    }

    static SynthesisPosition Copy(SynthesisPosition p) =>
        JsonSerializer.Deserialize<SynthesisPosition>(JsonSerializer.Serialize(p))!;
}
