using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>
/// The update of SGD with momentum and weight decay (PyTorch's, no dampening, no Nesterov) in one pass over each
/// parameter's memory on the CPU, where TorchSharp's <c>SGD.step</c> makes four passes and a temporary per parameter:
/// the same values, rounding for rounding (a fused multiply-add where LibTorch's <c>add</c> with a factor uses one).
/// A parameter or gradient that is not a contiguous float tensor on the CPU takes the same steps as tensor operations.
/// </summary>
/// <remarks>A small network's update is a tenth of its training batch on a CPU (<c>bench/Nest.Benchmarks
/// --batch-costs</c>). The learning rate is read at each step, so a schedule sets it as on any optimizer.</remarks>
public sealed class FusedSgd : IDisposable
{
    readonly Parameter[] _parameters;
    readonly Tensor?[] _momentum;
    readonly Tensor?[] _gradientMasks;
    readonly float _momentumFactor, _weightDecay;

    /// <summary>Updates <paramref name="parameters"/>; momentum buffers start at the first gradient, as
    /// PyTorch's. A parameter with a mask in <paramref name="gradientMasks"/> (keyed by its handle) has its gradient
    /// multiplied by it first, as autograd does through <c>weight_orig * weight_mask</c>.</summary>
    public FusedSgd(IEnumerable<Parameter> parameters, double momentum, double weightDecay,
        IReadOnlyDictionary<IntPtr, Tensor>? gradientMasks = null)
    {
        _parameters = parameters.ToArray();
        _momentum = new Tensor?[_parameters.Length];
        _gradientMasks = _parameters.Select(p => gradientMasks?.GetValueOrDefault(p.Handle)).ToArray();
        _momentumFactor = (float)momentum;
        _weightDecay = (float)weightDecay;
    }

    /// <summary>One update at <paramref name="learningRate"/> from the gradients the last backward pass left.</summary>
    public void Step(double learningRate)
    {
        using var _ = no_grad();
        var step = -(float)learningRate;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            using var grad = parameter.grad;
            if (grad is null) continue;
            var mask = _gradientMasks[i];
            var fusable = _momentumFactor != 0 && Fusable(parameter) && Fusable(grad)
                          && (_momentum[i] is null || Fusable(_momentum[i]!)) && (mask is null || Fusable(mask));
            if (fusable)
                Fused(parameter, grad, mask, ref _momentum[i], step);
            else
                Separate(parameter, grad, mask, ref _momentum[i], step);
        }
    }

    static bool Fusable(Tensor t) =>
        t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous();

    void Fused(Tensor parameter, Tensor grad, Tensor? mask, ref Tensor? momentum, float step)
    {
        var w = MemoryMarshal.Cast<byte, float>(parameter.bytes);
        var g = MemoryMarshal.Cast<byte, float>(grad.bytes);
        if (mask is not null) Mask(g, MemoryMarshal.Cast<byte, float>(mask.bytes));
        var first = momentum is null;
        momentum ??= empty_like(parameter).DetachFromDisposeScope();
        var m = MemoryMarshal.Cast<byte, float>(momentum.bytes);
        float decay = _weightDecay, factor = _momentumFactor;
        var lanes = Vector<float>.Count;
        Vector<float> decays = new(decay), factors = new(factor), steps = new(step);
        int k = 0;
        if (first)
        {
            for (; k + lanes <= w.Length; k += lanes)
            {
                var weight = new Vector<float>(w[k..]);
                var buffer = Vector.FusedMultiplyAdd(weight, decays, new Vector<float>(g[k..]));
                buffer.CopyTo(m[k..]);
                Vector.FusedMultiplyAdd(buffer, steps, weight).CopyTo(w[k..]);
            }
            for (; k < w.Length; k++)
            {
                m[k] = MathF.FusedMultiplyAdd(w[k], decay, g[k]);
                w[k] = MathF.FusedMultiplyAdd(m[k], step, w[k]);
            }
            return;
        }
        for (; k + lanes <= w.Length; k += lanes)
        {
            var weight = new Vector<float>(w[k..]);
            var decayed = Vector.FusedMultiplyAdd(weight, decays, new Vector<float>(g[k..]));
            var buffer = new Vector<float>(m[k..]) * factors + decayed;
            buffer.CopyTo(m[k..]);
            Vector.FusedMultiplyAdd(buffer, steps, weight).CopyTo(w[k..]);
        }
        for (; k < w.Length; k++)
        {
            var decayed = MathF.FusedMultiplyAdd(w[k], decay, g[k]);
            m[k] = m[k] * factor + decayed;
            w[k] = MathF.FusedMultiplyAdd(m[k], step, w[k]);
        }
    }

    // The gradient times the mask, in place: what autograd gives weight_orig through weight_orig * weight_mask.
    static void Mask(Span<float> gradient, ReadOnlySpan<float> mask)
    {
        var lanes = Vector<float>.Count;
        int k = 0;
        for (; k + lanes <= gradient.Length; k += lanes)
            (new Vector<float>(gradient[k..]) * new Vector<float>(mask[k..])).CopyTo(gradient[k..]);
        for (; k < gradient.Length; k++) gradient[k] *= mask[k];
    }

    // TorchSharp's SGD.step for one parameter, operation for operation.
    void Separate(Tensor parameter, Tensor grad, Tensor? mask, ref Tensor? momentum, float step)
    {
        using var scope = NewDisposeScope();
        if (mask is not null) grad = grad.mul(mask);   // freed with the scope, as every temporary here
        var decayed = _weightDecay != 0 ? grad.add(parameter, alpha: _weightDecay) : grad;
        if (_momentumFactor != 0)
        {
            if (momentum is null) momentum = decayed.clone().detach().DetachFromDisposeScope();
            else momentum.mul_(_momentumFactor).add_(decayed);
            decayed = momentum;
        }
        parameter.add_(decayed, alpha: step);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var buffer in _momentum) buffer?.Dispose();
    }
}
