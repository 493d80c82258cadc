using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>Flattens every dimension after the batch one, channel-major (C, then H, then W).</summary>
public sealed class Flatten : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates a flatten layer.</summary>
    public Flatten() : base(nameof(Flatten)) { }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => input.flatten(1);
}
