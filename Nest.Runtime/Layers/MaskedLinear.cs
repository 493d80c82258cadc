using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>A fully connected layer with a pruning mask: <c>y = x (weight_orig * weight_mask)^T + bias</c>.</summary>
public sealed class MaskedLinear : MaskedLayer
{
    /// <summary>Creates a fully live layer with zero weights; seeds call <see cref="MaskedLayer.InitializeSeed"/>.
    /// <paramref name="name"/> (generated seeds pass the layer's) is what error messages call the layer.</summary>
    public MaskedLinear(long inFeatures, long outFeatures, bool hasBias = true, string? name = null)
        : base(name ?? nameof(MaskedLinear),
            new[] { Positive(outFeatures, nameof(outFeatures)), Positive(inFeatures, nameof(inFeatures)) }, hasBias)
    {
    }

    /// <summary>Number of input features.</summary>
    public long in_features => InputUnits;

    /// <summary>Number of output features (neurons).</summary>
    public long out_features => OutputUnits;

    /// <inheritdoc />
    protected override Tensor Compute(Tensor input, Tensor effectiveWeight, Tensor? bias) =>
        nn.functional.linear(input, effectiveWeight, bias);

    internal static long Positive(long value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "must be positive");
}
