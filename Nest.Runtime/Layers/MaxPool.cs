using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>2-D max pooling over square windows (floor mode, as PyTorch's default).</summary>
public sealed class MaxPool : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates a pooling layer; <paramref name="stride"/> 0 means equal to the kernel.</summary>
    public MaxPool(long kernel, long stride = 0) : base(nameof(MaxPool))
    {
        Kernel = MaskedLinear.Positive(kernel, nameof(kernel));
        Stride = stride == 0 ? kernel : MaskedLinear.Positive(stride, nameof(stride));
    }

    /// <summary>Square window size.</summary>
    public long Kernel { get; }

    /// <summary>Stride in both directions.</summary>
    public long Stride { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) =>
        nn.functional.max_pool2d(input, new[] { Kernel, Kernel }, new[] { Stride, Stride });
}
