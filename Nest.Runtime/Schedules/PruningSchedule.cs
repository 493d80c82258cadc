using Nest.Runtime.Pruning;

namespace Nest.Runtime.Schedules;

/// <summary>
/// How big each pruning step is and how long it retrains, as a function of the run's state (as RigL's
/// UpdateSchedule is apart from its updaters): the ceiling of a step's fraction by the kept network's compression, its
/// retraining epochs, and the fraction after a step: halved
/// when the step was undone (so that the last steps creep up to the limit instead of stopping a coarse step short of
/// it), doubled back to the ceiling after <see cref="PruningOptions.RecoverySteps"/> kept steps in a row.
/// </summary>
public sealed class PruningSchedule(PruningOptions options)
{
    /// <summary>The options it reads.</summary>
    public PruningOptions Options { get; } = options;

    /// <summary>The largest fraction a step may take at <paramref name="compression"/> (kept parameters against the
    /// reference's).</summary>
    public double Ceiling(double compression) =>
        Options.LateFraction is { } late && compression >= Options.LateFromCompression
            ? Math.Min(late, Options.Fraction) : Options.Fraction;

    /// <summary>Retraining epochs of a step (longer late retraining was measured: no different).</summary>
    public int Epochs => Options.Epochs;

    /// <summary>Whether a step at <paramref name="fraction"/> is still worth taking.</summary>
    public bool Allows(double fraction) => fraction >= Options.MinFraction;

    /// <summary>The fraction and the streak of kept steps after a step taken at <paramref name="fraction"/>, up to
    /// <paramref name="ceiling"/>.</summary>
    public (double Fraction, int Streak) After(double fraction, int streak, bool kept, double ceiling)
    {
        if (!kept) return (fraction / 2, 0);
        if (Options.RecoverySteps > 0 && ++streak >= Options.RecoverySteps && fraction < ceiling)
            return (Math.Min(ceiling, fraction * 2), 0);
        return (fraction, streak);
    }
}
