using Nest.Runtime.Tests.Seeds;
using Nest.Samples.Seeds;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class ForwardBackwardTests
{
    [Fact]
    public void LeNet5MaskedPositionsReceiveNoUpdate()
    {
        using var scope = NewDisposeScope();
        using var net = new LeNet5(randomSeed: 7);
        var before = net.parameters().Select(p => p.detach().clone()).ToList();
        var optimizer = optim.SGD(net.parameters(), learningRate: 0.1, momentum: 0.9, weight_decay: 1e-3);

        var generator = new Generator(11);
        var images = rand(new long[] { 16, 1, 28, 28 }, generator: generator);
        var labels = randint(0, 10, new long[] { 16 }, generator: generator);
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.forward(images), labels);
            loss.backward();
            foreach (var layer in new MaskedLayer[] { net.Conv1, net.Conv2, net.Fc1, net.Logits })
            {
                using var dormantGrad = layer.weight_orig.grad!.masked_select(layer.weight_mask.eq(0));
                Assert.Equal(0f, dormantGrad.abs().sum().item<float>());
            }
            optimizer.step();
        }

        foreach (var layer in new MaskedLayer[] { net.Conv1, net.Conv2, net.Fc1 })
        {
            var dormant = layer.weight_mask.eq(0);
            // Dormant weights had zero gradient and started at zero, so momentum and weight decay
            // left them at zero; the effective weight is zero there whatever happens to weight_orig.
            Assert.Equal(0f, layer.weight_orig.masked_select(dormant).abs().sum().item<float>());
            Assert.Equal(0f, layer.weight.masked_select(dormant).abs().sum().item<float>());
            // Live weights did move.
            Assert.True(layer.weight_orig.masked_select(dormant.logical_not()).abs().sum().item<float>() > 0);
        }
        Assert.False(TensorAssert.Same(before[0], net.Conv1.weight_orig));
    }

    [Fact]
    public void ForwardAcceptsFlatOrImageLayout()
    {
        using var scope = NewDisposeScope();
        using var net = new LeNet5();
        Assert.Equal(new long[] { 2, 10 }, net.forward(zeros(2, 784)).shape);
        Assert.Equal(new long[] { 2, 10 }, net.forward(zeros(2, 1, 28, 28)).shape);
    }

    [Fact]
    public void ForwardRejectsWrongSampleSizeNamingTheSeed()
    {
        using var scope = NewDisposeScope();
        using var net = new LeNet300();
        var error = Assert.Throws<ArgumentException>(() => net.forward(zeros(2, 100)));
        Assert.Contains("Seed 'LeNet300' expects inputs of shape [batch, 784]", error.Message);
    }
}
