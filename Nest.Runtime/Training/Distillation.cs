using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>
/// Knowledge distillation (Hinton et al., 2015): the student trains on a blend of the labels and a
/// teacher's softened outputs, loss = (1 - w) CE(s, y) + w T^2 KL(softmax(t / T) || softmax(s / T)).
/// During pruning the teacher is the network itself before pruning began: its outputs say which
/// wrong classes an image resembles, which one-hot labels do not, and a network pruned to a few
/// thousand weights keeps more accuracy when it learns that too. The teacher is either recorded
/// (its logits computed once, on the undistorted training images, and read by index: no extra forward
/// pass) or live (a function run on each batch as the student sees it, distortions included: one
/// forward pass more per batch, but the student never learns the teacher's view of a different image). A synthesis
/// records it (a live teacher was measured no better there: docs/results.md, ablations).
/// </summary>
public sealed class Distillation : IDisposable
{
    /// <summary>Holds the teacher's logits, one row per training image in dataset order.</summary>
    /// <param name="teacherLogits"><c>[N, classes]</c>; owned (disposed) by this object.</param>
    /// <param name="weight">w in (0, 1]: the share of the loss that follows the teacher.</param>
    /// <param name="temperature">T &gt;= 1: how much the teacher's outputs are softened.</param>
    public Distillation(Tensor teacherLogits, double weight, double temperature) : this(weight, temperature)
    {
        if (teacherLogits.dim() != 2)
            throw new ArgumentException($"teacher logits must be [N, classes], not [{string.Join(", ", teacherLogits.shape)}]", nameof(teacherLogits));
        TeacherLogits = teacherLogits.detach().DetachFromDisposeScope();
    }

    /// <summary>A live teacher: <paramref name="teacher"/> maps each batch of images, as the student sees
    /// them, to the teacher's logits (it is called without gradients).</summary>
    public Distillation(Func<Tensor, Tensor> teacher, double weight, double temperature) : this(weight, temperature)
    {
        Teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
    }

    Distillation(double weight, double temperature)
    {
        if (weight is <= 0 or > 1 || double.IsNaN(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "must be in (0, 1]");
        if (temperature < 1 || double.IsInfinity(temperature) || double.IsNaN(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be at least 1");
        Weight = weight;
        Temperature = temperature;
    }

    /// <summary>The recorded teacher's logits, <c>[N, classes]</c>; null for a live teacher.</summary>
    public Tensor? TeacherLogits { get; }

    /// <summary>The live teacher; null for a recorded one.</summary>
    public Func<Tensor, Tensor>? Teacher { get; }

    /// <summary>The share of the loss that follows the teacher.</summary>
    public double Weight { get; }

    /// <summary>The softening temperature.</summary>
    public double Temperature { get; }

    /// <summary>Images a recorded teacher has logits for; null for a live teacher (any images).</summary>
    public int? Count => TeacherLogits is null ? null : (int)TeacherLogits.shape[0];

    /// <summary>Records <paramref name="teacher"/>'s logits on every image of <paramref name="data"/>, in evaluation
    /// mode.</summary>
    public static Distillation From(nn.Module<Tensor, Tensor> teacher, ImageDataset data, double weight,
        double temperature, int batchSize = 1000)
    {
        using var scope = NewDisposeScope();
        return new Distillation(Logits(teacher, data, batchSize), weight, temperature);
    }

    /// <summary>The teacher's logits for a batch: <paramref name="images"/> as the student sees them, which
    /// are rows <paramref name="index"/> of the training data (a recorded teacher reads those rows).
    /// Call it before the student's forward pass: a live teacher may swap weights in and out of the
    /// student's own layers, which must not happen between its forward and backward passes.</summary>
    public Tensor TeacherLogitsFor(Tensor index, Tensor images)
    {
        if (Teacher is null)
        {
            using var rows = index.to(TeacherLogits!.device);
            return TeacherLogits.index_select(0, rows).to(images.device);
        }
        using (no_grad()) return Teacher(images).detach();
    }

    /// <summary>The blended loss of a batch given the teacher's logits for it (<see
    /// cref="TeacherLogitsFor"/>).</summary>
    public Tensor Loss(Tensor studentLogits, Tensor labels, Tensor teacherLogits)
    {
        var hard = nn.functional.cross_entropy(studentLogits, labels);
        var t = Temperature;
        var teacherLog = nn.functional.log_softmax(teacherLogits.Over(t), 1);
        var studentLog = nn.functional.log_softmax(studentLogits.Over(t), 1);
        // KL(teacher || student) per image, averaged over the batch, written out: TorchSharp 0.107's
        // kl_div(log q, p, Sum) did not give this value on the hand-computed test. T^2 keeps the
        // gradient's scale independent of T, as in Hinton et al.
        var soft = (teacherLog.exp() * (teacherLog - studentLog)).sum().Over(studentLogits.shape[0]);
        return hard.Times(1 - Weight) + soft.Times(Weight * t * t);
    }

    static Tensor Logits(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize)
    {
        var wasTraining = model.training;
        model.eval();
        var parts = new List<Tensor>();
        var device = ComputeDevices.Of(model);
        try
        {
            using (no_grad())
            {
                // A scope per batch, so that only the logits outlive it: under one scope for all, every batch's
                // activations stayed alive to the end of the recording (bench/results/memory.md).
                for (int start = 0; start < data.Count; start += batchSize)
                {
                    using var batch = NewDisposeScope();
                    var logits =
                        model.forward(data.Range(start, Math.Min(batchSize, data.Count - start), device).Images);
                    parts.Add(logits.detach().MoveToOuterDisposeScope());
                }
            }
            return cat(parts);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
            if (wasTraining) model.train();
        }
    }

    /// <inheritdoc />
    public void Dispose() => TeacherLogits?.Dispose();
}
