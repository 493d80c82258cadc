using Nest.Runtime.Synthesis;

namespace Nest.Cli;

/// <summary>
/// The live view's estimate of what is left of a synthesis: an upper bound on the steps (pruning stops early on
/// its own, so the bound is what the schedule allows, not a forecast) and the time those steps would take at the
/// mean duration of the last three (none after the first step of a resumed or re-pruned run).
/// </summary>
public sealed class StepsLeft(SynthesisSchedule schedule)
{
    readonly List<SynthesisStep> _done = new();

    /// <summary>Takes a finished step and returns "at most N steps left (~T)", or "" when none are left.</summary>
    public string After(SynthesisStep step)
    {
        _done.Add(step);
        var left = Bound(step.Phase);
        if (left <= 0) return "";
        var recent = _done.TakeLast(4).ToList();
        // A step's seconds count from the run's start, a resumed run's included: one step alone gives a pace only
        // when it is the run's first.
        double? perStep = recent.Count > 1 ? (recent[^1].Seconds - recent[0].Seconds) / (recent.Count - 1)
            : step.Step == 0 ? step.Seconds : null;
        return perStep is { } pace
            ? $"at most {left} steps left (~{Duration(left * pace)} at the last steps' pace)"
            : $"at most {left} steps left";
    }

    int Bound(SynthesisPhase phase)
    {
        var grown = _done.Count(s => s.Phase == SynthesisPhase.Grow);
        var pruned = _done.Count(s => s.Phase == SynthesisPhase.Prune);
        var converge = schedule.ConvergeEpochs > 0 ? 1 : 0;
        var pruning = (schedule.Variational.Epochs > 0 ? 1 : 0) + schedule.Pruning.MaxSteps + schedule.Area.TailSteps;
        return phase switch
        {
            SynthesisPhase.Seed or SynthesisPhase.Grow => schedule.Growth.MaxSteps - grown + converge + pruning + 1,
            SynthesisPhase.Converge => pruning + 1,
            SynthesisPhase.Prune => Math.Max(0, pruning - pruned) + 1,
            _ => 0,
        };
    }

    static string Duration(double seconds) =>
        seconds < 90 ? $"{seconds:F0} s" : seconds < 5400 ? $"{seconds / 60:F0} min" : $"{seconds / 3600:F1} h";
}
