using Nest.Runtime.Data;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// Finds a learning rate a seed tolerates on the data at hand, instead of looking one up by the seed's name: a
/// few batches from the seed's initial weights at the given rate; if the training loss on those batches does not
/// fall to <see cref="LossRatio"/> of where it began (a network whose units died at too high a rate stays at
/// chance) or the training diverges, the rate is halved and checked again from the same weights. The network is
/// always put back as it was, so a rate that passes at once leaves the run exactly as without the check.
/// </summary>
public static class RateCheck
{
    /// <summary>The loss after the check's batches must be at most this share of the loss before them.</summary>
    public const double LossRatio = 0.95;

    /// <summary>Halvings tried before the check gives up and names the rate and the loss.</summary>
    public const int MaxHalvings = 6;

    /// <summary>The first rate, from <paramref name="options"/>'s and halving, under which the loss falls.</summary>
    /// <param name="network">The seed, put back as it was after each try.</param> <param name="train">Training data:
    /// the check trains on <paramref name="batches"/> batches of a random subset.</param> <param name="options">The
    /// training the run will use (its rate is the first one tried).</param> <param name="batches">How many batches each
    /// try trains.</param> <param name="notice">Told of each rate refused, and why.</param> <param
    /// name="cancellationToken">Stops between two batches.</param> <exception cref="RateCheckFailedException">No rate
    /// down to 2^-<see cref="MaxHalvings"/> of the first lowers the loss.</exception>
    public static double Find(ISeedNetwork network, ImageDataset train, TrainingOptions options, int batches,
        Action<string>? notice = null, CancellationToken cancellationToken = default)
    {
        var module = (nn.Module<Tensor, Tensor>)network;
        var count = (int)Math.Min(train.Count, (long)batches * options.BatchSize);
        using var subset = Subset(train, count, options.Seed);
        using var start = new NetworkSnapshot(network);
        var rate = options.LearningRate;
        try
        {
            for (int halving = 0; ; halving++)
            {
                var before = Loss(module, subset, options.EvaluationBatchSize);
                string? why;
                try
                {
                    // One epoch of at least `batches` batches at a constant rate, with the run's optimizer and
                    // distortions.
                    new Trainer(
                        options with { Epochs = 1, LearningRate = rate, MinBatchesPerEpoch = batches, ReportsPerEpoch =
                        1 })
                        .Train(module, subset, cancellationToken: cancellationToken);
                    var after = Loss(module, subset, options.EvaluationBatchSize);
                    why = after <= LossRatio * before ? null : $"the training loss went from {before:F3} to {after:F3}";
                }
                catch (DivergenceException e)
                {
                    why = e.Message;
                }
                start.Restore();
                if (why is null) return rate;
                if (halving == MaxHalvings)
                    throw new RateCheckFailedException(
                        $"No learning rate from {options.LearningRate:G3} down to {rate:G3} trains this seed on {train.Name}: at {rate:G3} {why}.");
                notice?.Invoke($"learning rate {rate:G3} refused ({why}); trying {rate / 2:G3}");
                rate /= 2;
            }
        }
        finally
        {
            // Training zeroes masked weights and leaves optimizer-free state only; the snapshot covers the rest.
            start.Restore();
        }
    }

    static ImageDataset Subset(ImageDataset train, int count, long seed)
    {
        using var generator = new Generator(unchecked((ulong)(seed + 104729)));
        using var scope = NewDisposeScope();
        var rows = randperm(train.Count, generator: generator).narrow(0, 0, count);
        var (images, labels) = train.Rows(rows, train.Images.device);
        return new ImageDataset(train.Name + "/rate-check", images, labels, train.Classes);
    }

    static double Loss(nn.Module<Tensor, Tensor> module, ImageDataset data, int batchSize)
    {
        using var _ = no_grad();
        var training = module.training;
        module.eval();
        double sum = 0;
        var device = ComputeDevices.Of(module);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batchSize, data.Count - start);
            var (images, labels) = data.Range(start, n, device);
            var loss = nn.functional.cross_entropy(module.forward(images), labels, reduction: nn.Reduction.Sum);
            sum += loss.item<float>();
        }
        if (training) module.train();
        var mean = sum / data.Count;
        return double.IsFinite(mean) ? mean : double.PositiveInfinity;
    }
}

/// <summary>No learning rate tried by <see cref="RateCheck"/> lowered the training loss; the message names the rates
/// and the loss.</summary>
public sealed class RateCheckFailedException(string message) : Exception(message);
