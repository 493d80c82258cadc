using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>A 2-D convolution with a pruning mask over every kernel weight.</summary>
public sealed class MaskedConv2d : MaskedLayer
{
    /// <summary>Creates a fully live convolution with zero weights; seeds call <see cref="MaskedLayer.InitializeSeed"/>.</summary>
    public MaskedConv2d(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0, bool hasBias = true)
        : base(nameof(MaskedConv2d),
               new[] { MaskedLinear.Positive(outChannels, nameof(outChannels)), MaskedLinear.Positive(inChannels, nameof(inChannels)),
                       MaskedLinear.Positive(kernel, nameof(kernel)), kernel }, hasBias)
    {
        Kernel = kernel;
        Stride = MaskedLinear.Positive(stride, nameof(stride));
        Padding = padding >= 0 ? padding : throw new ArgumentOutOfRangeException(nameof(padding), padding, "must not be negative");
    }

    /// <summary>Square kernel size.</summary>
    public long Kernel { get; }

    /// <summary>Stride in both directions.</summary>
    public long Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public long Padding { get; }

    /// <summary>Number of input channels.</summary>
    public long in_channels => InputUnits;

    /// <summary>Number of output feature maps.</summary>
    public long out_channels => OutputUnits;

    /// <inheritdoc />
    protected override Tensor Compute(Tensor input, Tensor effectiveWeight) =>
        nn.functional.conv2d(input, effectiveWeight, bias, strides: new[] { Stride, Stride }, padding: new[] { Padding, Padding });
}
