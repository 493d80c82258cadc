using Nest.Runtime.Training;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class FusedSgdTests
{
    // Sizes around vector widths (8 and 16 floats) and one as large as LeNet-300-100's first layer.
    static readonly long[] Sizes = { 1, 7, 16, 33, 1_000, 235_211 };

    [Theory]
    [InlineData(0.9, 1e-4)]
    [InlineData(0.5, 0)]
    [InlineData(0, 1e-3)]
    public void FiveStepsEqualTorchSharpsSgdInEveryValue(double momentum, double weightDecay)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var start = Sizes.Select(n => randn(new[] { n }, generator: generator)).ToArray();
        var ours = start.Select(t => new Parameter(t.clone())).ToArray();
        var theirs = start.Select(t => new Parameter(t.clone())).ToArray();
        using var fused = new FusedSgd(ours, momentum, weightDecay);
        using var sgd = optim.SGD(theirs, 0.05, momentum: momentum, weight_decay: weightDecay);
        for (int step = 0; step < 5; step++)
        {
            var rate = 0.05 / (step + 1);   // the rate changes between steps, as a schedule changes it
            foreach (var group in sgd.ParamGroups) group.LearningRate = rate;
            var grads = Sizes.Select(n => randn(new[] { n }, generator: generator)).ToArray();
            for (int i = 0; i < Sizes.Length; i++)
            {
                ours[i].grad = grads[i].clone();
                theirs[i].grad = grads[i].clone();
            }
            fused.Step(rate);
            sgd.step();
        }

        for (int i = 0; i < Sizes.Length; i++)
        {
            Assert.False(Same(ours[i], start[i]), $"parameter {i} did not move");
            Assert.True(Same(ours[i], theirs[i]), $"parameter {i} ({Sizes[i]} values) differs from TorchSharp's SGD");
        }
    }

    [Fact]
    public void AMaskedGradientEqualsTorchSharpsSgdOnTheGradientThroughTheMask()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var mask = (rand(new long[] { 1_003 }, generator: generator) > 0.7).to(float32);
        var start = randn(new long[] { 1_003 }, generator: generator) * mask;   // masked entries zero, as trained
        var ours = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        using var fused = new FusedSgd(new[] { ours }, 0.9, 1e-4,
            new Dictionary<IntPtr, Tensor> { [ours.Handle] = mask });
        using var sgd = optim.SGD(new[] { theirs }, 0.05, momentum: 0.9, weight_decay: 1e-4);
        for (int step = 0; step < 5; step++)
        {
            var grad = randn(new long[] { 1_003 }, generator: generator);
            ours.grad = grad.clone();   // as it reaches weight_orig when the forward pass skips the mask
            theirs.grad = grad * mask;   // as autograd gives it through weight_orig * weight_mask
            fused.Step(0.05);
            sgd.step();
        }

        Assert.True(Same(ours, theirs));
        Assert.True(Same(ours * (1 - mask), zeros(1_003)), "masked entries stay zero");
    }

    [Fact]
    public void AParameterWithoutAGradientStaysAsItIs()
    {
        using var scope = NewDisposeScope();
        var parameter = new Parameter(ones(5));
        using var fused = new FusedSgd(new[] { parameter }, 0.9, 1e-4);

        fused.Step(0.1);

        Assert.True(Same(parameter, ones(5)));
    }

    // Bit for bit: the same values, NaN nowhere.
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
