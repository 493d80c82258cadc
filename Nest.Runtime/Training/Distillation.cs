using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>
/// Knowledge distillation (Hinton et al., 2015): the student trains on a blend of the labels and a
/// teacher's softened outputs, loss = (1 - w) CE(s, y) + w T^2 KL(softmax(t / T) || softmax(s / T)).
/// During pruning the teacher is the network itself before pruning began: its outputs say which
/// wrong classes an image resembles, which one-hot labels do not, and a network pruned to a few
/// thousand weights keeps more accuracy when it learns that too. The teacher's logits are computed
/// once, on the undistorted training images, and read by index, so distillation adds no forward pass.
/// </summary>
public sealed class Distillation : IDisposable
{
    /// <summary>Holds the teacher's logits, one row per training image in dataset order.</summary>
    /// <param name="teacherLogits"><c>[N, classes]</c>; owned (disposed) by this object.</param>
    /// <param name="weight">w in (0, 1]: the share of the loss that follows the teacher.</param>
    /// <param name="temperature">T &gt;= 1: how much the teacher's outputs are softened.</param>
    public Distillation(Tensor teacherLogits, double weight, double temperature)
    {
        if (teacherLogits.dim() != 2) throw new ArgumentException($"teacher logits must be [N, classes], not [{string.Join(", ", teacherLogits.shape)}]", nameof(teacherLogits));
        if (weight is <= 0 or > 1 || double.IsNaN(weight)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "must be in (0, 1]");
        if (temperature < 1 || double.IsInfinity(temperature) || double.IsNaN(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be at least 1");
        TeacherLogits = teacherLogits.detach().DetachFromDisposeScope();
        Weight = weight;
        Temperature = temperature;
    }

    /// <summary>The teacher's logits, <c>[N, classes]</c>.</summary>
    public Tensor TeacherLogits { get; }

    /// <summary>The share of the loss that follows the teacher.</summary>
    public double Weight { get; }

    /// <summary>The softening temperature.</summary>
    public double Temperature { get; }

    /// <summary>Images the teacher has logits for.</summary>
    public int Count => (int)TeacherLogits.shape[0];

    /// <summary>Records <paramref name="teacher"/>'s logits on every image of <paramref name="data"/>, in evaluation mode.</summary>
    public static Distillation From(nn.Module<Tensor, Tensor> teacher, ImageDataset data, double weight, double temperature, int batchSize = 1000)
    {
        using var scope = NewDisposeScope();
        return new Distillation(Logits(teacher, data, batchSize), weight, temperature);
    }

    /// <summary>The same teacher on more images (the refit's training plus validation data): the rows of
    /// this object, then <paramref name="more"/>'s.</summary>
    public Distillation Concat(Distillation more)
    {
        using var scope = NewDisposeScope();
        return new Distillation(cat(new[] { TeacherLogits, more.TeacherLogits }), Weight, Temperature);
    }

    /// <summary>The blended loss of a batch whose images are rows <paramref name="index"/> of the training data.</summary>
    public Tensor Loss(Tensor studentLogits, Tensor labels, Tensor index)
    {
        var hard = nn.functional.cross_entropy(studentLogits, labels);
        var t = Temperature;
        var teacherLog = nn.functional.log_softmax(TeacherLogits.index_select(0, index) / t, 1);
        var studentLog = nn.functional.log_softmax(studentLogits / t, 1);
        // KL(teacher || student) per image, averaged over the batch, written out: TorchSharp 0.107's
        // kl_div(log q, p, Sum) did not give this value on the hand-computed test. T^2 keeps the
        // gradient's scale independent of T, as in Hinton et al.
        var soft = (teacherLog.exp() * (teacherLog - studentLog)).sum() / studentLogits.shape[0];
        return hard * (1 - Weight) + soft * (Weight * t * t);
    }

    static Tensor Logits(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize)
    {
        var wasTraining = model.training;
        model.eval();
        var parts = new List<Tensor>();
        using (no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
                parts.Add(model.forward(data.Images.narrow(0, start, Math.Min(batchSize, data.Count - start))).detach());
        }
        if (wasTraining) model.train();
        return cat(parts);
    }

    /// <inheritdoc />
    public void Dispose() => TeacherLogits.Dispose();
}
