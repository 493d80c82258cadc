using Nest.Runtime.Data;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Recording a teacher's logits over a whole training set holds one batch's activations at a time.</summary>
public sealed class TeacherRecordingMemoryTests
{
    [Fact]
    public void EachBatchsActivationsAreFreedBeforeTheNextBatchRuns()
    {
        using var images = randn(50, 3);
        using var labels = zeros(50, dtype: ScalarType.Int64);
        using var data = new ImageDataset("fifty", images.alias(), labels.alias(), classes: 3);
        using var teacher = new Remembering();

        using var distillation = Distillation.From(teacher, data, weight: 0.5, temperature: 2, batchSize: 10);

        Assert.Equal(5, teacher.Batches);
        // Before batches 2 to 5, nothing of the earlier batches' activations was still alive.
        Assert.Equal(0, teacher.MostEarlierActivationsAlive);
        Assert.Equal([50, 3], distillation.TeacherLogits!.shape);
        Assert.Equal(images.mul(2).data<float>().ToArray(), distillation.TeacherLogits.data<float>().ToArray());
    }

    // Logits = 2x, through an activation it keeps a reference to, to see whether it is disposed later.
    sealed class Remembering() : nn.Module<Tensor, Tensor>(nameof(Remembering))
    {
        readonly List<Tensor> _activations = [];

        public int Batches => _activations.Count;
        public int MostEarlierActivationsAlive { get; private set; }

        public override Tensor forward(Tensor input)
        {
            MostEarlierActivationsAlive = Math.Max(MostEarlierActivationsAlive, _activations.Count(a => !a.IsInvalid));
            var activation = input * 2;
            _activations.Add(activation);
            return activation.relu() - (-activation).relu();
        }
    }
}
