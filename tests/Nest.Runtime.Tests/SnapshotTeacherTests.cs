using Nest.Runtime.Data;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class SnapshotTeacherTests
{
    [Fact]
    public void GivesTheRecordedNetworksOutputsAndLeavesTheStudentExactlyAsItWas()
    {
        using var net = new TinyConvNet(randomSeed: 6);
        net.Conv.EnableAreaMask(6, 6);
        using var images = rand(5, 1, 8, 8, generator: new Generator(1));
        net.eval();
        var expected = net.forward(images).detach().clone();
        using var teacher = new SnapshotTeacher(net);

        // The student moves on: other weights, a pruned connection, a masked area position, training mode.
        using (no_grad())
        {
            net.Conv.weight_orig.add_(0.5);
            net.Out.weight_mask[0, 0].fill_(0);
            var area = net.Conv.area_mask!.clone();
            area[0, 0, 2, 2].fill_(0);
            net.Conv.SetAreaMask(area);
        }
        net.train();
        var weight = net.Conv.weight_orig.detach().clone();
        var mask = net.Out.weight_mask.clone();
        var areaMask = net.Conv.area_mask!.clone();

        var logits = teacher.Logits(images);

        Assert.True(logits.allclose(expected, rtol: 0, atol: 1e-6), "the teacher's outputs, not the student's");
        Assert.True(TensorAssert.Same(weight, net.Conv.weight_orig), "the student's weights are back");
        Assert.True(TensorAssert.Same(mask, net.Out.weight_mask), "its masks are back");
        Assert.True(TensorAssert.Same(areaMask, net.Conv.area_mask!), "its area mask is back");
        Assert.True(net.training, "and its mode");
        Assert.False(logits.requires_grad);
    }

    [Fact]
    public void RefusesANetworkWhoseLayersChangedShape()
    {
        using var net = new TinyConvNet(randomSeed: 6);
        using var teacher = new SnapshotTeacher(net);
        ((ISeedNetwork)net).AddUnits(0, 1);
        var e = Assert.Throws<InvalidOperationException>(() => teacher.Logits(zeros(1, 1, 8, 8)));
        Assert.Contains("Conv", e.Message);
    }

    [Fact]
    public void ALiveTeacherThatCallsEveryImageTheNextClassIsFollowedByTheStudent()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 300, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        var quick = new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 0.05 };
        using var teacherNet = new QuadrantNet(randomSeed: 4);
        new Trainer(quick).Train(teacherNet, data.Train);
        // The trained teacher's outputs, rolled by one class: it calls every image (label + 1) mod 4,
        // on the images each batch actually holds; a student trained on it alone (w = 1) must follow.
        var calls = 0;
        using var shiftedTeacher = new Distillation(images =>
        {
            calls++;
            return teacherNet.forward(images).roll(1, 1) * 5;
        }, weight: 1, temperature: 1);
        using var student = new QuadrantNet(randomSeed: 5);

        new Trainer(quick).Train(student, data.Train, distillation: shiftedTeacher);

        using var shifted = new ImageDataset("shifted", data.Train.Images.alias(), (data.Train.Labels + 1) % 4, 4);
        Assert.True(Evaluation.ErrorRate(student, shifted) < 0.1,
            "the student predicts the teacher's (shifted) classes");
        Assert.Equal(3 * ((data.Train.Count + 31) / 32), calls);
    }
}
