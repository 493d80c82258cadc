namespace Nest.Runtime.Schedules;

/// <summary>The learning rate for each epoch, apart from the optimizer (as TorchSharp's LRScheduler).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate for <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>, given the base
    /// rate.</summary>
    double Rate(int epoch, int epochs, double baseRate);

    /// <summary>The rate at a point inside the run, <paramref name="epoch"/> counting finished epochs and
    /// the fraction of the current one (for schedules stepped every batch). By default the rate of the
    /// epoch the point falls in.</summary>
    double RateAt(double epoch, int epochs, double baseRate) => Rate((int)Math.Floor(epoch), epochs, baseRate);
}

/// <summary>The same rate every epoch.</summary>
public sealed record ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public double Rate(int epoch, int epochs, double baseRate) => baseRate;
}

/// <summary>Cosine annealing from the base rate to zero over the run (PyTorch's CosineAnnealingLR,
/// stepped per epoch, or per batch through <see cref="RateAt"/>).</summary>
public sealed record CosineSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public double Rate(int epoch, int epochs, double baseRate) => RateAt(epoch, epochs, baseRate);

    /// <inheritdoc />
    public double RateAt(double epoch, int epochs, double baseRate) =>
        baseRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, epochs)));
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> every <see cref="Every"/> epochs.</summary>
public sealed record StepSchedule(int Every, double Gamma) : ILearningRateSchedule
{
    /// <inheritdoc />
    public double Rate(int epoch, int epochs, double baseRate) =>
        baseRate * Math.Pow(Gamma, epoch / Math.Max(1, Every));
}
