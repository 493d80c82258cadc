namespace Nest.Runtime.Pruning;

/// <summary>The optional sparse variational dropout step before magnitude pruning (<see
/// cref="SparseVariationalDropout"/>; see <see cref="Synthesis.SynthesisSchedule.Variational"/>).</summary>
public sealed record VariationalOptions
{
    /// <summary>Epochs of training with sparse variational dropout (Adam); then the weights whose dropout rate grew
    /// past <see cref="Threshold"/> are masked at once and the rest retrained as a pruning step. 0: off.</summary>
    public int Epochs { get; init; }

    /// <summary>Adam's learning rate during the variational epochs.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>log alpha above which a weight is masked (3: alpha 20).</summary>
    public double Threshold { get; init; } = 3;

    /// <summary>Share of the epochs over which the KL term's weight rises from 0 to 1.</summary>
    public double Warmup { get; init; } = 0.25;

    /// <summary>g in the cost factor: each convolution weight's KL term is multiplied by its multiply-accumulates per
    /// example to the power g, so the prior thins costly layers first. 0: every weight alike, as in the
    /// paper.</summary>
    public double CostExponent { get; init; }

    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Refuse.When(Epochs < 0, nameof(Epochs), Epochs, "must not be negative");
        Refuse.When(!(LearningRate > 0) || double.IsInfinity(LearningRate),
            nameof(LearningRate), LearningRate, "must be positive");
        Refuse.When(!double.IsFinite(Threshold), nameof(Threshold), Threshold, "must be a number");
        Refuse.When(Warmup is < 0 or > 1 || double.IsNaN(Warmup), nameof(Warmup), Warmup, "must be in [0, 1]");
        Refuse.When(CostExponent is < 0 or > 4 || double.IsNaN(CostExponent),
            nameof(CostExponent), CostExponent, "must be in [0, 4]");
    }
}
