namespace Nest.Runtime.Growth;

/// <summary>How the growth phase grows and when it stops (see <see
/// cref="Synthesis.SynthesisSchedule.Growth"/>).</summary>
public sealed record GrowthOptions
{
    /// <summary>At most this many growth steps.</summary>
    public int MaxSteps { get; init; } = 5;

    /// <summary>Epochs of training after each growth step.</summary>
    public int Epochs { get; init; } = 6;

    /// <summary>Growth stops when a step lowers the best validation error so far by less than this many of its standard
    /// errors (<see cref="Synthesis.ValidationNoise"/>): growth has stopped paying for itself on this data. Below 0:
    /// never for lack of gain (only the step budget, the width caps or the reference size end growth).</summary>
    public double MinGain { get; init; } = 1;

    /// <summary>When set, growth also stops once the validation error is at or below this (a fraction).</summary>
    public double? TargetError { get; init; }

    /// <summary>Connection growth: dormant connections switched on per step, as a fraction of each layer's live
    /// ones.</summary>
    public double ConnectionRatio { get; init; } = 1.0;

    /// <summary>Batches whose gradients are summed to score dormant connections.</summary>
    public int GradientBatches { get; init; } = 50;

    /// <summary>Neuron growth: neurons added per step to each hidden layer, as a fraction of its width (bounded by
    /// MaxWidth).</summary>
    public double NeuronRatio { get; init; } = 0.25;

    /// <summary>Neuron growth: the fraction of (m, n) pairs, ranked by |G|, that a new neuron connects (the top-beta
    /// percentile).</summary>
    public double NeuronBeta { get; init; } = 0.01;

    /// <summary>Birth strength alpha: a new neuron's weights are rescaled to alpha x the layer's mean live
    /// magnitude.</summary>
    public double BirthStrength { get; init; } = 0.3;

    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Refuse.When(MaxSteps < 0, nameof(MaxSteps), MaxSteps, "must not be negative");
        Refuse.When(Epochs < 0, nameof(Epochs), Epochs, "must not be negative");
        Refuse.When(!double.IsFinite(MinGain), nameof(MinGain), MinGain, "must be a finite number");
        Refuse.When(TargetError is { } t && !double.IsFinite(t), nameof(TargetError), TargetError,
            "must be a finite number");
        Refuse.When(!(ConnectionRatio >= 0) || double.IsInfinity(ConnectionRatio),
            nameof(ConnectionRatio), ConnectionRatio, "must not be negative");
        Refuse.When(GradientBatches < 1, nameof(GradientBatches), GradientBatches, "must be positive");
        Refuse.When(!(NeuronRatio >= 0) || double.IsInfinity(NeuronRatio),
            nameof(NeuronRatio), NeuronRatio, "must not be negative");
        Refuse.When(NeuronBeta is <= 0 or > 1 || double.IsNaN(NeuronBeta),
            nameof(NeuronBeta), NeuronBeta, "must be in (0, 1]");
        Refuse.When(!(BirthStrength >= 0) || double.IsInfinity(BirthStrength),
            nameof(BirthStrength), BirthStrength, "must not be negative");
    }
}
