using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Generated seeds pool before a ReLU that precedes max pooling (on a quarter of the values): the outputs and
/// the gradients must be exactly those of ReLU then pooling, ties and all-negative windows included.</summary>
public class PoolThenReluTests
{
    static (Tensor Output, Tensor Gradient) Run(Tensor values, bool poolFirst)
    {
        var x = values.detach().clone().requires_grad_();
        var k = new long[] { 2, 2 };
        var y = poolFirst
            ? nn.functional.relu(nn.functional.max_pool2d(x, k, k))
            : nn.functional.max_pool2d(nn.functional.relu(x), k, k);
        using var weights = arange(y.numel(), dtype: ScalarType.Float32).reshape(y.shape).add(1);
        (y * weights).sum().backward();
        return (y.detach(), x.grad!.detach());
    }

    [Fact]
    public void PoolingBeforeReluGivesTheSameOutputsAndGradients()
    {
        // Rounded to halves, so that windows hold ties, zeros and only negative values.
        using var values = randn(new long[] { 3, 4, 8, 8 }, generator: new Generator(7)).mul(2).round().div(2);
        var (reluFirst, reluFirstGrad) = Run(values, poolFirst: false);
        var (poolFirst, poolFirstGrad) = Run(values, poolFirst: true);

        Assert.True(TensorAssert.Same(reluFirst, poolFirst));
        Assert.True(TensorAssert.Same(reluFirstGrad, poolFirstGrad));
    }
}
