using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>
/// What one masked layer saw in the last forward pass while capture was on: its input, its output
/// (pre-activation) and the effective weight, the last two with their gradients kept after backward.
/// The gradient of the effective weight is dL/dW at every position, dormant ones included, which the
/// gradient of weight_orig is not (it is exactly zero where the mask is).
/// </summary>
public sealed record GradientCapture(Tensor Input, Tensor Output, Tensor EffectiveWeight);
