using System.Diagnostics;
using Nest.Runtime.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>
/// Trains any TorchSharp classifier (a generated seed included) with cross-entropy. One dispose scope
/// per step keeps memory flat; a masked connection stays exactly zero in <c>weight_orig</c> too,
/// whatever the optimizer (see the note in <see cref="Train"/>). Deterministic on CPU for a given
/// <see cref="TrainingOptions.Seed"/>.
/// </summary>
public sealed class Trainer
{
    readonly TrainingOptions _options;

    /// <summary>Creates a trainer; the options are validated here.</summary>
    public Trainer(TrainingOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Trains <paramref name="model"/> in place and returns per-epoch figures.</summary> <param
    /// name="model">The classifier, trained in place.</param> <param name="train">Training data.</param> <param
    /// name="validation">When given, its error is measured after every epoch.</param> <param name="progress">Receives
    /// reports during each epoch and at its end.</param> <param name="cancellationToken">Stops between two
    /// steps.</param> <param name="distillation">When given, the loss blends the labels with its teacher's outputs (one
    /// row per image of <paramref name="train"/>).</param> <param name="lossTerm">When given, its term is added to
    /// every batch's loss and its parameters are trained too.</param> <exception
    /// cref="OperationCanceledException">Cancelled between two steps; the model keeps the last step's
    /// weights.</exception> <exception cref="DivergenceException">A loss, gradient or weight became NaN or infinite
    /// (named); the model is left as it was then, for the caller to restore.</exception>
    public TrainingResult Train(nn.Module<Tensor, Tensor> model, ImageDataset train, ImageDataset? validation = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default,
            Distillation? distillation = null,
        ILossTerm? lossTerm = null)
    {
        if (train.Count == 0) throw new ArgumentException($"{train.Name} is empty", nameof(train));
        if (distillation?.Count is { } rows && rows != train.Count)
            throw new ArgumentException($"the teacher has logits for {rows} images, but {train.Name} has {train.Count}",
                nameof(distillation));
        NativeMemory.LimitFragmentation();
        var options = _options;
        // Masked weights are zeroed once, here, with a fresh optimizer: from then on each stays exactly
        // zero by itself (its gradient is zero through weight_orig * weight_mask, so SGD's momentum
        // and decay and Adam's moments all stay zero too), and re-zeroing after every step would only
        // cost time. A mask changed between two calls is honoured by the next call.
        var masked = model.modules().OfType<MaskedLayer>().ToArray();
        ReapplyMasks(masked);
        var parameters = model.parameters().Concat(lossTerm?.Parameters ?? Enumerable.Empty<Parameter>()).ToArray();
        using var optimizer = CreateOptimizer(parameters, options);
        // SGD's update runs fused (the same values); the optimizer still clears gradients and holds the rate. It
        // masks the layers' gradients itself, so their training forward passes skip the mask (MaskedByOptimizer).
        using var fused = options.Optimizer == OptimizerKind.Sgd
            ? new FusedSgd(parameters, options.Momentum, options.WeightDecay,
                masked.ToDictionary(l => l.weight_orig.Handle, l => l.weight_mask))
            : null;
        using var generator = new Generator(unchecked((ulong)options.Seed));
        // The model's device is the training's: every batch goes there, wherever the data set lives.
        var device = ComputeDevices.Of(model);
        manual_seed(options.Seed);

        if (options.Augment && train.Images.dim() != 4)
            throw new ArgumentException($"Distortions (augment) need images [N, C, H, W], but {train.Name} holds inputs of shape " +
                                        $"[{string.Join(", ", train.Images.shape)}]; train without them.",
                                            nameof(train));
        var perPass = (train.Count + options.BatchSize - 1) / options.BatchSize;
        // A small set is passed over several times per epoch (see MinBatchesPerEpoch), each pass in a fresh order.
        var passes = Math.Max(1, (options.MinBatchesPerEpoch + perPass - 1) / perPass);
        var batches = perPass * passes;
        var reportEvery = Math.Max(1, batches / Math.Max(1, options.ReportsPerEpoch));
        var results = new List<EpochResult>();
        var total = Stopwatch.StartNew();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var startRate = options.Schedule.Rate(epoch, options.Epochs, options.LearningRate);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = startRate;
            var clock = Stopwatch.StartNew();
            model.train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            using var order = Order(train.Count, passes, generator);
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var start = (b / perPass) * train.Count + (b % perPass) * options.BatchSize;
                var count = Math.Min(options.BatchSize, train.Count - (b % perPass) * options.BatchSize);
                var index = order.narrow(0, start, count);
                var (images, labels) = train.Rows(index, device);
                if (options.Augment) images = RandomAffine.Apply(images, generator);

                // A live teacher runs first: it may swap its weights through the student's layers.
                var teacher = distillation?.TeacherLogitsFor(index, images);
                optimizer.zero_grad();
                var logits = ForwardMaskedByOptimizer(model, images, fused is null ? [] : masked);
                var loss = teacher is null
                    ? nn.functional.cross_entropy(logits, labels)
                    : distillation!.Loss(logits, labels, teacher);
                var objective = lossTerm is null
                    ? loss
                    : loss + lossTerm.Loss((epoch + (double)b / batches) / options.Epochs);
                objective.backward();
                if (fused is null) optimizer.step();
                else fused.Step(optimizer.ParamGroups.First().LearningRate);

                var lossValue = loss.item<float>();
                // Checked at once, before the next batch builds on it; the parameters are searched only then.
                if (!float.IsFinite(lossValue) || (lossTerm is not null && !float.IsFinite(objective.item<float>())))
                {
                    var layer = DivergenceException.Culprit(model);
                    throw new DivergenceException($"Training diverged at epoch {epoch + 1}, batch {b + 1}: the loss is {lossValue}; look at '{layer}'.", layer);
                }
                lossSum += lossValue * count;
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                seen += count;
                if (progress is not null && (b + 1) % reportEvery == 0 && b + 1 < batches)
                    progress.Report(
                        Progress(epoch, b + 1, batches, lossSum / seen, (double)correct / seen, total.Elapsed, null));
            }

            var validationError =
                validation is null ? double.NaN : Evaluation.ErrorRate(model, validation, options.EvaluationBatchSize);
            NativeMemory.Trim();
            var result =
                new EpochResult(epoch + 1, lossSum / seen, (double)correct / seen, validationError, startRate,
                    clock.Elapsed.TotalSeconds);
            results.Add(result);
            progress?.Report(
                Progress(epoch, batches, batches, result.TrainLoss, result.TrainAccuracy, total.Elapsed, result));
        }
        // The last update is not seen by any loss: check the weights it left, and the loss they give on a batch.
        // Weights
        // can stay finite yet so large that the logits overflow or the loss is absurd (more than MaxSaneLoss nats,
        // where
        // chance on ten classes is 2.3): such a network is diverged too, and the next training could not recover it.
        if (DivergenceException.FirstNonFinite(model) is { } last)
            throw new DivergenceException($"Training diverged in its last update: '{last}' holds a NaN or an infinity.",
                last);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var training = model.training;
            model.eval();
            var count = Math.Min(options.BatchSize, train.Count);
            var (images, labels) = train.Range(0, count, device);
            var probe = nn.functional.cross_entropy(model.forward(images), labels).item<float>();
            if (training) model.train();
            if (!float.IsFinite(probe) || probe > MaxSaneLoss)
            {
                var culprit = DivergenceException.Culprit(model);
                throw new DivergenceException($"Training diverged: its weights give a loss of {probe:G3} on a batch of training images; look at '{culprit}'.", culprit);
            }
        }
        return new TrainingResult(results, total.Elapsed.TotalSeconds);

        TrainingProgress Progress(int epoch, int batch, int of, double loss, double accuracy, TimeSpan elapsed,
            EpochResult? done)
        {
            var fraction = (epoch + (double)batch / of) / Math.Max(1, options.Epochs);
            TimeSpan? remaining = fraction > 0 ? elapsed * ((1 - fraction) / fraction) : null;
            return new TrainingProgress(epoch + 1, options.Epochs, batch, of, loss, accuracy, elapsed, remaining, done);
        }
    }

    /// <summary>A cross-entropy above this many nats on a batch of training images after training means the training
    /// diverged (the network gives the right classes a probability below e^-100).</summary>
    public const float MaxSaneLoss = 100;

    static OptimizerHelper CreateOptimizer(IEnumerable<Parameter> parameters, TrainingOptions options) =>
        options.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
        _ => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
    };

    // The visiting order of one epoch: one random permutation per pass.
    static Tensor Order(long count, int passes, Generator generator)
    {
        if (passes == 1) return randperm(count, generator: generator);
        var parts = Enumerable.Range(0, passes).Select(_ => randperm(count, generator: generator)).ToArray();
        try
        {
            return cat(parts);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    // The student's forward pass with the masks left to the optimizer; every other pass (a teacher's swapped into
    // these layers, evaluation) multiplies by them.
    static Tensor ForwardMaskedByOptimizer(nn.Module<Tensor, Tensor> model, Tensor images, MaskedLayer[] layers)
    {
        foreach (var layer in layers) layer.MaskedByOptimizer = true;
        try
        {
            return model.forward(images);
        }
        finally
        {
            foreach (var layer in layers) layer.MaskedByOptimizer = false;
        }
    }

    /// <summary>Zeroes <c>weight_orig</c> wherever the mask is zero.</summary>
    public static void ReapplyMasks(IEnumerable<MaskedLayer> layers)
    {
        using var _ = no_grad();
        foreach (var layer in layers) layer.weight_orig.mul_(layer.weight_mask);
    }
}
