using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>
/// Replaces a masked layer's forward pass while attached (<see cref="MaskedLayer.Noise"/>): a weight
/// distribution rather than one weight, as sparse variational dropout trains.
/// </summary>
public interface IWeightNoise
{
    /// <summary>The layer's output for <paramref name="input"/>; <paramref name="effectiveWeight"/> is <c>weight_orig *
    /// weight_mask</c>. Run the layer's own operation through <see cref="MaskedLayer.Apply"/>.</summary>
    Tensor Forward(MaskedLayer layer, Tensor input, Tensor effectiveWeight);
}
