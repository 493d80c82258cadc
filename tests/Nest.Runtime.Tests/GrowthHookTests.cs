using Nest.Runtime.Tests.Seeds;
using Nest.Samples.Seeds;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class GrowthHookTests
{
    [Fact]
    public void AddingFeatureMapsWidensTheDenseLayerBehindTheFlatten()
    {
        using var scope = NewDisposeScope();
        using var net = new LeNet5();
        var liveBefore = net.Fc1.LiveConnections;
        net.AddConv2Units(3);
        Assert.Equal(53, net.Conv2.out_channels);
        Assert.Equal(53 * 16, net.Fc1.in_features);
        Assert.Equal(liveBefore, net.Fc1.LiveConnections);   // new inputs are dormant
        Assert.Equal(new long[] { 4, 10 }, net.forward(rand(4, 1, 28, 28)).shape);
    }

    [Fact]
    public void RemovingAFeatureMapDropsItsBlockOfDenseInputs()
    {
        using var scope = NewDisposeScope();
        using var net = new LeNet5(randomSeed: 9);
        var expected =
            cat(new[] { net.Fc1.weight_orig.narrow(1, 0, 16), net.Fc1.weight_orig.narrow(1, 32, 800 - 32) }, 1);
        net.RemoveConv2Units(new long[] { 1 });
        Assert.Equal(49, net.Conv2.out_channels);
        Assert.True(TensorAssert.Same(net.Fc1.weight_orig, expected));
    }

    [Fact]
    public void RemovingNeuronsShrinksTheConsumerInputs()
    {
        using var scope = NewDisposeScope();
        using var net = new LeNet300(randomSeed: 4);
        var keptColumn = net.Fc2.weight_orig.select(1, 5).clone();
        net.RemoveFc1Units(new long[] { 0, 2, 3 });
        Assert.Equal(117, net.Fc1.out_features);
        Assert.Equal(117, net.Fc2.in_features);
        Assert.True(TensorAssert.Same(net.Fc2.weight_orig.select(1, 2), keptColumn));   // old column 5 is now 2
        Assert.Equal(new long[] { 3, 10 }, net.forward(rand(3, 784)).shape);
    }

    [Fact]
    public void GrowthBeyondMaxWidthIsRefusedAndChangesNothing()
    {
        using var net = new LeNet300();
        var error = Assert.Throws<InvalidOperationException>(() => net.AddFc2Units(61));
        Assert.Contains("MaxWidth of 100", error.Message);
        Assert.Equal(40, net.Fc2.out_features);
        Assert.Equal(40, net.Logits.in_features);
    }

    [Fact]
    public void OutputLayerCannotGrow()
    {
        using var net = new LeNet300();
        var error = Assert.Throws<InvalidOperationException>(() => ((ISeedNetwork)net).AddUnits(2, 1));
        Assert.Contains("'Logits' is the output layer", error.Message);
    }

    [Fact]
    public void LayersWithoutWeightsHaveNoUnitsToAdd()
    {
        using var net = new LeNet5();
        var error = Assert.Throws<InvalidOperationException>(() => ((ISeedNetwork)net).AddUnits(1, 1));
        Assert.Contains("'Pool1' (MaxPool2d) has no units", error.Message);
        Assert.Null(((ISeedNetwork)net).MaskedLayerAt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ISeedNetwork)net).MaskedLayerAt(7));
    }

    [Fact]
    public void IndexDispatchReachesTheTypedHook()
    {
        using var net = new LeNet5();
        ((ISeedNetwork)net).AddUnits(0, 2);
        Assert.Equal(22, net.Conv1.out_channels);
        Assert.Equal(22, net.Conv2.in_channels);
    }

    [Fact]
    public void RemovingEveryUnitIsRefused()
    {
        using var net = new LeNet300();
        var all = Enumerable.Range(0, 40).Select(i => (long)i).ToArray();
        Assert.Throws<InvalidOperationException>(() => net.RemoveFc2Units(all));
        Assert.Equal(40, net.Fc2.out_features);
    }

    [Fact]
    public void TopologyLinksEachLayerToItsProducerAndConsumer()
    {
        var conv2 = LeNet5.Topology["Conv2"];
        Assert.Equal(0, conv2.Producer);
        Assert.Equal(5, conv2.Consumer);
        Assert.Equal(16, conv2.ConsumerInputsPerUnit);   // 4 x 4 per feature map behind the flatten
        Assert.Equal(-1, LeNet5.Topology["Conv1"].Producer);
        Assert.Equal(-1, LeNet5.Topology["Logits"].Consumer);
        Assert.True(LeNet5.Topology["Logits"].IsOutput);
        var error = Assert.Throws<ArgumentException>(() => LeNet5.Topology["Fc9"]);
        Assert.Contains("Conv1, Pool1, Conv2", error.Message);
    }
}
