using Nest.Runtime.Pruning;
using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class DistillationTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 3, BatchSize = 32, LearningRate = 0.05 };

    [Fact]
    public void LossBlendsCrossEntropyWithTheSoftenedKlDivergenceByHand()
    {
        // Two images, three classes; T = 2, w = 0.25.
        float[] s = { 1f, 0f, -1f, 0.5f, 0.5f, 2f }, t = { 3f, 1f, 0f, 0f, 2f, 1f };
        long[] y = { 0, 2 };
        using var distillation = new Distillation(tensor(t).reshape(2, 3), weight: 0.25, temperature: 2);
        var loss =
            distillation.Loss(tensor(s).reshape(2, 3), tensor(y),
                distillation.TeacherLogitsFor(tensor(new long[] { 0, 1 }), zeros(2, 1))).item<float>();

        double ce = 0, kl = 0;
        for (int i = 0; i < 2; i++)
        {
            var ps = Softmax(s, i, 1);
            ce -= Math.Log(ps[y[i]]) / 2;
            var qs = Softmax(s, i, 2);
            var qt = Softmax(t, i, 2);
            for (int c = 0; c < 3; c++) kl += qt[c] * Math.Log(qt[c] / qs[c]) / 2;
        }
        Assert.Equal(0.75 * ce + 0.25 * 4 * kl, loss, 4);
    }

    [Fact]
    public void LossReadsTheTeachersRowsByImageIndex()
    {
        // The same student outputs against teacher rows 1 and 0 (swapped) give another loss.
        using var distillation =
            new Distillation(tensor(new float[] { 5f, 0f, 0f, 5f }).reshape(2, 2), weight: 1, temperature: 1);
        var student = tensor(new float[] { 5f, 0f, 0f, 5f }).reshape(2, 2);
        var labels = tensor(new long[] { 0, 1 });
        var matched =
            distillation.Loss(student, labels,
                distillation.TeacherLogitsFor(tensor(new long[] { 0, 1 }), zeros(2, 1))).item<float>();
        var swapped =
            distillation.Loss(student, labels,
                distillation.TeacherLogitsFor(tensor(new long[] { 1, 0 }), zeros(2, 1))).item<float>();
        Assert.Equal(0f, matched, 5);
        Assert.True(swapped > 1f, $"swapped rows gave {swapped}");
    }

    [Fact]
    public void TrainingOnTheTeacherAlonePullsTheStudentTowardItsOutputs()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 300, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        using var teacherNet = new QuadrantNet(randomSeed: 4);
        new Trainer(Quick).Train(teacherNet, data.Train);
        // A teacher that calls every image class (label + 1) mod 4: a student trained on its outputs
        // alone (w = 1) must follow it, not the labels.
        using var wrongTeacher =
            new Distillation(nn.functional.one_hot((data.Train.Labels + 1) % 4, 4).to(float32) * 10, weight: 1,
                temperature: 1);
        using var student = new QuadrantNet(randomSeed: 5);
        new Trainer(Quick).Train(student, data.Train, distillation: wrongTeacher);
        using var shifted = new ImageDataset("shifted", data.Train.Images.alias(), (data.Train.Labels + 1) % 4, 4);
        Assert.True(Evaluation.ErrorRate(student, shifted) < 0.1,
            "the student should predict the teacher's (shifted) classes");
        Assert.True(Evaluation.ErrorRate(teacherNet, data.Train) < 0.1, "the teacher itself learned the labels");
    }

    [Fact]
    public void TeacherLogitsForAnotherDatasetAreRefusedWithBothCounts()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 100, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 20);
        using var net = new QuadrantNet();
        using var teacher = new Distillation(zeros(7, 4), weight: 0.5, temperature: 4);
        var e = Assert.Throws<ArgumentException>(() =>
            new Trainer(Quick).Train(net, data.Train, distillation: teacher));
        Assert.Contains("7 images", e.Message);
        Assert.Contains("80", e.Message);
    }

    [Theory]
    [InlineData(1.5, 4)]
    [InlineData(-0.1, 4)]
    [InlineData(0.5, 0.5)]
    public void ScheduleRejectsAnImpossibleDistillation(double weight, double temperature)
    {
        var schedule =
            new SynthesisSchedule { Distillation =
                new DistillationOptions { Weight = weight, Temperature = temperature } };
        Assert.Throws<ArgumentOutOfRangeException>(schedule.Validate);
    }

    static double[] Softmax(float[] logits, int row, double temperature)
    {
        var z = Enumerable.Range(0, 3).Select(c => Math.Exp(logits[row * 3 + c] / temperature)).ToArray();
        return z.Select(v => v / z.Sum()).ToArray();
    }
}
