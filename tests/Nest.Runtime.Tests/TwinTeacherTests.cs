using Nest.Runtime.Synthesis;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class TwinTeacherTests
{
    [Fact]
    public void GivesTheNetworksOutputsAsTheyWereWhateverTheNetworkBecomes()
    {
        using var net = new TinyConvNet(randomSeed: 6);
        ((ISeedNetwork)net).AddUnits(0, 2);   // grown: the twin starts at the seed's width
        net.Conv.EnableAreaMask(6, 6);
        using (no_grad())
        {
            var area = net.Conv.area_mask!.clone();
            area[1, 0, 3, 3].fill_(0);
            net.Conv.SetAreaMask(area);
        }
        using var images = rand(5, 1, 8, 8, generator: new Generator(1));
        var expected = TensorAssert.Outputs(net, images).clone();
        using var teacher = new TwinTeacher(net, () => new TinyConvNet(randomSeed: 9));

        // The network moves on: other weights, and a feature map removed physically.
        using (no_grad()) net.Conv.weight_orig.add_(0.5);
        ((ISeedNetwork)net).RemoveUnits(0, new long[] { 1 });
        net.train();

        var logits = teacher.Logits(images);

        Assert.True(logits.allclose(expected, rtol: 0, atol: 1e-6), "the outputs the network had, area mask included");
        Assert.False(logits.requires_grad);
        Assert.True(net.training, "the network's mode is its own");
    }

    [Fact]
    public void RefusesATwinOfAnotherSeedByName()
    {
        using var net = new TinyConvNet(randomSeed: 6);

        var error = Assert.Throws<ArgumentException>(() => new TwinTeacher(net, () => new QuadrantNet(randomSeed: 1)));

        Assert.Contains(nameof(QuadrantNet), error.Message);
        Assert.Contains(nameof(TinyConvNet), error.Message);
    }
}
