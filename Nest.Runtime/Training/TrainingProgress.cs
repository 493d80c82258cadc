namespace Nest.Runtime.Training;

/// <summary>Where training stands: sent through <see cref="IProgress{T}"/> during each epoch and at its end.</summary>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double Accuracy,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    EpochResult? Completed);

/// <summary>One finished epoch.</summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationError,
    double LearningRate,
    double Seconds);

/// <summary>A finished training run.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, double Seconds)
{
    /// <summary>The last epoch's validation error (NaN when there was no validation data or no epoch).</summary>
    public double ValidationError => Epochs.Count > 0 ? Epochs[^1].ValidationError : double.NaN;
}
