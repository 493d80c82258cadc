using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary><see cref="MaskedLayer.RedrawLive"/>, what <c>--converge-fresh</c> does to every layer before convergence.</summary>
public class RedrawLiveTests
{
    [Fact]
    public void RedrawingKeepsTheMaskAndDrawsLiveWeightsWithinTheMeanLiveFanInBound()
    {
        using var layer = new MaskedLinear(100, 20, name: "Hidden");
        layer.InitializeSeed(0.25, randomSeed: 1);
        var mask = layer.weight_mask.clone();
        var before = layer.weight_orig.clone();
        using (no_grad()) layer.bias!.fill_(0.5f);

        layer.RedrawLive(randomSeed: 2);

        Assert.True(layer.weight_mask.eq(mask).all().item<bool>(), "the mask is kept");
        var live = mask.to_type(ScalarType.Bool);
        var weights = layer.weight_orig;
        Assert.Equal(0, weights.masked_select(live.logical_not()).count_nonzero().item<long>());
        // 500 live connections over 20 units: a mean fan-in of 25, so the bound is 1/5.
        Assert.True(weights.abs().max().item<float>() <= 0.2f);
        Assert.True(weights.masked_select(live).abs().mean().item<float>() > 0.05f, "drawn across the range");
        Assert.False(weights.eq(before).all().item<bool>(), "drawn again");
        Assert.Equal(0, layer.bias!.count_nonzero().item<long>());
    }
}
