using Nest.Runtime.Data;
using Xunit;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class RandomAffineGridTests
{
    [Theory]
    [InlineData(28, 28)]
    [InlineData(5, 7)]
    [InlineData(32, 32)]
    public void TheGridEqualsLibTorchsAffineGridInEveryValue(long height, long width)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var theta = (rand(new long[] { 9, 2, 3 }, generator: generator) - 0.5) * 3;

        var expected = nn.functional.affine_grid(theta, new[] { 9, 1, height, width }, align_corners: false);
        var grid = RandomAffine.Grid(theta, height, width);

        Assert.Equal(expected.shape, grid.shape);
        Assert.Equal(0f, grid.sub(expected).abs().max().item<float>());
    }
}
