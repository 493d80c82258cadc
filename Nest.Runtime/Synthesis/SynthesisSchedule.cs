using Nest.Runtime.Growth;
using Nest.Runtime.Pruning;
using Nest.Runtime.Training;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// Everything the grow-then-prune loop needs, one small option record per phase, each handed to its own policy:
/// how long to train, how much to grow and prune per step, when to stop. Saved with every run. One default schedule
/// for every seed and data set: every error limit is relative to what the run measures (the converged network's
/// validation error and the validation set's sampling noise at its size), never an absolute error.
/// </summary>
public sealed record SynthesisSchedule
{
    /// <summary>Training of every phase (its Epochs is ignored: each phase sets its own).</summary>
    public TrainingOptions Training { get; init; } = new() { MinBatchesPerEpoch = 400 };

    /// <summary>Before the seed is trained, a short check of <see cref="TrainingOptions.LearningRate"/>: this many
    /// batches from the seed's initial weights; a rate under which the training loss does not fall (or diverges) is
    /// halved and checked again, and the run trains at the first rate that passes (see <see cref="RateCheck"/>).
    /// 0: off.</summary>
    public int RateCheckBatches { get; init; } = 100;

    /// <summary>Epochs of training the seed before growth.</summary>
    public int SeedEpochs { get; init; } = 10;

    /// <summary>The growth phase.</summary>
    public GrowthOptions Growth { get; init; } = new();

    /// <summary>Epochs of training the grown network (cosine from the base rate) before pruning begins: each growth
    /// step trains only a few epochs, and every pruned network descends from this one (as does the distillation
    /// teacher). 0: prune at once.</summary>
    public int ConvergeEpochs { get; init; } = 30;

    /// <summary>Distillation from the converged network while pruning retrains.</summary>
    public DistillationOptions Distillation { get; init; } = new();

    /// <summary>The optional sparse variational dropout step before magnitude pruning.</summary>
    public VariationalOptions Variational { get; init; } = new();

    /// <summary>Connection pruning: step sizes, retraining, the limit and the budgets.</summary>
    public PruningOptions Pruning { get; init; } = new();

    /// <summary>Partial-area convolution pruning.</summary>
    public AreaOptions Area { get; init; } = new();

    /// <summary>Throws with the field's path (<c>Pruning.Fraction</c>) when a value cannot work.</summary>
    public void Validate()
    {
        Check("Training", Training.Validate);
        Refuse.When(RateCheckBatches < 0, nameof(RateCheckBatches), RateCheckBatches, "must not be negative");
        Refuse.When(SeedEpochs < 0, nameof(SeedEpochs), SeedEpochs, "must not be negative");
        Refuse.When(ConvergeEpochs < 0, nameof(ConvergeEpochs), ConvergeEpochs, "must not be negative");
        Check(nameof(Growth), Growth.Validate);
        Check(nameof(Distillation), Distillation.Validate);
        Check(nameof(Variational), Variational.Validate);
        Check(nameof(Pruning), Pruning.Validate);
        Check(nameof(Area), Area.Validate);
    }

    static void Check(string record, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException($"{record}.{e.ParamName}", e.ActualValue,
                e.Message.Split(" (Parameter")[0].Split('\n')[0].TrimEnd());
        }
    }
}
