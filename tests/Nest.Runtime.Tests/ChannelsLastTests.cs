using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Masked convolutions compute on channels-last batches: the same values as LibTorch's plain
/// convolution on the NCHW batch, the output channels-last, whatever view of memory the batch is.</summary>
public class ChannelsLastTests
{
    static MaskedConv2d RandomConv(long inputs, long maps, int seed)
    {
        var conv = new MaskedConv2d(inputs, maps, kernel: 3, padding: 1);
        conv.InitializeSeed(0.6, seed);
        return conv;
    }

    static Tensor Plain(MaskedConv2d conv, Tensor input) =>
        nn.functional.conv2d(input.contiguous(), conv.weight.detach(), conv.bias!.detach(),
            padding: new long[] { 1, 1 });

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheOutputIsThePlainConvolutionsLaidOutChannelsLast(int inputs)
    {
        using var conv = RandomConv(inputs, 5, seed: 1);
        using var input = randn(new long[] { 4, inputs, 9, 9 }, generator: new Generator(2));

        using var output = conv.forward(input);
        using var expected = Plain(conv, input);

        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.Equal(1, output.stride(1));
    }

    [Fact]
    public void ASingleChannelBatchThatIsASliceOfItsDataReadsItsOwnImages()
    {
        // A batch cut from the middle of a data set starts past the beginning of its storage.
        using var conv = RandomConv(1, 3, seed: 3);
        using var all = randn(new long[] { 10, 1, 8, 8 }, generator: new Generator(4));
        using var batch = all.narrow(0, 6, 3);

        using var output = conv.forward(batch);
        using var expected = Plain(conv, all.narrow(0, 6, 3).clone());

        Assert.True(output.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void GradientsReachTheInputOfALaterConvolutionUnchanged()
    {
        using var conv = RandomConv(3, 2, seed: 5);
        using var input = randn(new long[] { 2, 3, 6, 6 }, generator: new Generator(6)).requires_grad_();
        using var reference = input.detach().clone().requires_grad_();

        conv.forward(input).pow(2).sum().backward();
        Plain(conv, reference).pow(2).sum().backward();

        Assert.True(input.grad!.allclose(reference.grad!, rtol: 1e-4, atol: 1e-5));
    }
}
