namespace Nest.Runtime.Pruning;

/// <summary>How the pruning phase prunes, retrains and stops (see <see cref="Synthesis.SynthesisSchedule.Pruning"/>);
/// the step sizes and retraining budgets as the run goes are <see cref="Schedules.PruningSchedule"/>'s.</summary>
public sealed record PruningOptions
{
    /// <summary>The largest fraction of each layer's live connections one step removes.</summary>
    public double Fraction { get; init; } = 0.2;

    /// <summary>When set, steps taken once the kept network is <see cref="LateFromCompression"/> times smaller than the
    /// reference (in parameters) remove at most this fraction: the late steps, where a network has the least to spare,
    /// go in smaller bites. Null: <see cref="Fraction"/> throughout.</summary>
    public double? LateFraction { get; init; } = 0.1;

    /// <summary>The compression from which <see cref="LateFraction"/> applies.</summary>
    public double LateFromCompression { get; init; } = 20;

    /// <summary>A step over the limit halves the fraction; pruning ends when it falls below this.</summary>
    public double MinFraction { get; init; } = 0.01;

    /// <summary>After this many kept steps in a row, a halved fraction doubles again (up to the ceiling): one unlucky
    /// step, often validation noise, should not slow the rest of the run for good. 0: never.</summary>
    public int RecoverySteps { get; init; } = 2;

    /// <summary>Epochs of retraining after each step.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>When set, a retraining first runs one epoch (its own cosine cycle) and stops there, the step kept, when
    /// the error is already this many standard errors below the limit (<see cref="Synthesis.ValidationNoise"/>): a step
    /// far from the limit has recovered and needs no more, while a step near it still gets all of <see cref="Epochs"/>
    /// (one more epoch and the rest as a second cycle). The margin keeps a lucky reading near the limit from ending a
    /// retraining early. Null: every retraining runs all its epochs.</summary>
    public double? RecoveredStandardErrors { get; init; } = 2;

    /// <summary>At most this many steps.</summary>
    public int MaxSteps { get; init; } = 60;

    /// <summary>The limit, when no <see cref="TargetError"/> is given: the converged network's validation error plus
    /// this many of its standard errors at the validation set's size (<see cref="Synthesis.ValidationNoise"/>), so that
    /// one default means the same at 1% and at 11% error, on 500 or on 5,000 validation examples: a step is undone
    /// only when its error is beyond what resampling the validation set would plausibly give.</summary>
    public double LimitStandardErrors { get; init; } = 3;

    /// <summary>An absolute margin (a fraction) added to the limit; 0 by default.</summary>
    public double Tolerance { get; init; }

    /// <summary>When set, the limit is this absolute validation error instead.</summary>
    public double? TargetError { get; init; }

    /// <summary>When set, pruning also stops once the network has this many times fewer parameters than the
    /// reference.</summary>
    public double? StopAtCompression { get; init; }

    /// <summary>The rate of retraining, as a share of the rate the seed trained at: a high
    /// rate at the start of each short retraining shakes a converged network more than the step did.</summary>
    public double RateFactor { get; init; } = 0.2;

    /// <summary>When set, the absolute rate of retraining (instead of <see cref="RateFactor"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Refuse.When(Fraction is < 0 or >= 1 || double.IsNaN(Fraction), nameof(Fraction), Fraction, "must be in [0, 1)");
        Refuse.When(LateFraction is { } late && !(late > 0 && late < 1),
            nameof(LateFraction), LateFraction, "must be in (0, 1)");
        Refuse.When(!(LateFromCompression >= 1) || double.IsInfinity(LateFromCompression),
            nameof(LateFromCompression), LateFromCompression, "must be at least 1");
        Refuse.When(MinFraction is <= 0 or >= 1 || double.IsNaN(MinFraction),
            nameof(MinFraction), MinFraction, "must be in (0, 1)");
        Refuse.When(RecoverySteps < 0, nameof(RecoverySteps), RecoverySteps, "must not be negative");
        Refuse.When(Epochs < 0, nameof(Epochs), Epochs, "must not be negative");
        if (RecoveredStandardErrors is { } recovered && !(recovered >= 0 && double.IsFinite(recovered)))
            throw new ArgumentOutOfRangeException(nameof(RecoveredStandardErrors), recovered,
                "must be a finite number, at least 0");
        Refuse.When(MaxSteps < 0, nameof(MaxSteps), MaxSteps, "must not be negative");
        Refuse.When(!(LimitStandardErrors >= 0) || double.IsInfinity(LimitStandardErrors),
            nameof(LimitStandardErrors), LimitStandardErrors, "must be a finite number, at least 0");
        Refuse.When(!(Tolerance >= 0) || double.IsInfinity(Tolerance),
            nameof(Tolerance), Tolerance, "must be a finite number, at least 0");
        Refuse.When(TargetError is { } t && !(t >= 0 && t <= 1), nameof(TargetError), TargetError, "must be in [0, 1]");
        Refuse.When(StopAtCompression is { } stop && !(stop > 1 && double.IsFinite(stop)),
            nameof(StopAtCompression), StopAtCompression, "must be above 1");
        Refuse.When(!(RateFactor > 0) || double.IsInfinity(RateFactor),
            nameof(RateFactor), RateFactor, "must be positive");
        Refuse.When(LearningRate is { } rate && !(rate > 0 && double.IsFinite(rate)),
            nameof(LearningRate), LearningRate, "must be positive");
    }
}
