namespace Nest.Runtime.Pruning;

/// <summary>Partial-area convolution pruning (see <see cref="Synthesis.SynthesisSchedule.Area"/>): during each
/// connection pruning step, and in an optional tail of area-only steps after it.</summary>
public sealed record AreaOptions
{
    /// <summary>The fraction of each convolution's live area positions masked per step (scaled as the connection
    /// fraction is halved and recovers). 0: off.</summary>
    public double Fraction { get; init; } = 0.1;

    /// <summary>How area positions are ranked: by the first-order loss change of masking them (the default,
    /// <see cref="AreaScore.Taylor"/>, over <see cref="TaylorBatches"/> batches) or by their contribution (NeST's
    /// |I * K|): a position whose output later layers barely use goes first, so the same error buys more area
    /// (docs/results.md, ablations).</summary>
    public AreaScore Score { get; init; } = AreaScore.Taylor;

    /// <summary>Batches of 128 training images whose gradients give the Taylor scores.</summary>
    public int TaylorBatches { get; init; } = 8;

    /// <summary>Masks go per (output map, input map) pair on convolutions with at most this many input maps, per output
    /// map on the others (per pair, a convolution over many input maps trains about 5x slower).</summary>
    public int PairMaxInputs { get; init; } = 1;

    /// <summary>After connection pruning ends, up to this many steps that mask area positions alone, each kept or
    /// undone as any step: FLOPs fall, and parameters only where folding then removes connections. 0: off.</summary>
    public int TailSteps { get; init; }

    /// <summary>When set, the tail stops once the network has this many times fewer FLOPs than the reference.</summary>
    public double? StopAtFlopsCompression { get; init; }

    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Refuse.When(Fraction is < 0 or >= 1 || double.IsNaN(Fraction), nameof(Fraction), Fraction, "must be in [0, 1)");
        Refuse.When(TaylorBatches < 1, nameof(TaylorBatches), TaylorBatches, "must be positive");
        Refuse.When(PairMaxInputs < 0, nameof(PairMaxInputs), PairMaxInputs, "must not be negative");
        Refuse.When(TailSteps < 0, nameof(TailSteps), TailSteps, "must not be negative");
        Refuse.When(StopAtFlopsCompression is { } stop && !(stop > 1 && double.IsFinite(stop)),
            nameof(StopAtFlopsCompression), StopAtFlopsCompression, "must be above 1");
    }
}
