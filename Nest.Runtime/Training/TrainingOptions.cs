using Nest.Runtime.Schedules;

namespace Nest.Runtime.Training;

/// <summary>Which optimizer updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with (optional) momentum and L2 weight decay.</summary>
    Sgd,
    /// <summary>Adam with L2 weight decay.</summary>
    Adam,
}

/// <summary>How to train. The defaults are the PyTorch peer's (SGD 0.05, momentum 0.9, decay 1e-4, cosine, batch
/// 128).</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>Samples per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Base learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;
    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Learning rate per epoch.</summary>
    public ILearningRateSchedule Schedule { get; init; } = new CosineSchedule();
    /// <summary>Seed for shuffling, augmentation and dropout: the same seed gives the same numbers on CPU.</summary>
    public long Seed { get; init; }
    /// <summary>Small random affine distortions of the training images.</summary>
    public bool Augment { get; init; }
    /// <summary>An epoch takes at least this many batches: on a small training set it passes over the data several
    /// times (in fresh orders), so that a budget in epochs buys enough optimizer steps on 2,000 examples as on
    /// 55,000. 0: an epoch is one pass.</summary>
    public int MinBatchesPerEpoch { get; init; }
    /// <summary>Batch size for evaluation.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;
    /// <summary>Progress reports per epoch (besides the one at its end).</summary>
    public int ReportsPerEpoch { get; init; } = 20;

    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Refuse.When(Epochs < 0, nameof(Epochs), Epochs, "must not be negative");
        Refuse.When(BatchSize <= 0, nameof(BatchSize), BatchSize, "must be positive");
        Refuse.When(!(LearningRate > 0) || double.IsInfinity(LearningRate),
            nameof(LearningRate), LearningRate, "must be positive");
        Refuse.When(Momentum is < 0 or >= 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Refuse.When(WeightDecay < 0 || double.IsNaN(WeightDecay),
            nameof(WeightDecay), WeightDecay, "must not be negative");
        Refuse.When(MinBatchesPerEpoch < 0, nameof(MinBatchesPerEpoch), MinBatchesPerEpoch, "must not be negative");
        Refuse.When(EvaluationBatchSize <= 0, nameof(EvaluationBatchSize), EvaluationBatchSize, "must be positive");
    }
}
