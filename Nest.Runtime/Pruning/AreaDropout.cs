using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// The area positions' part of sparse variational dropout: each output position (o, y, x) of a convolution with an
/// area mask gets a multiplicative Gaussian gate N(theta, sigma^2) under the same log-uniform prior as the weights (a
/// group prior over every connection that computes there, as structured Bayesian pruning puts on channels). A
/// position the data does not need grows a large log alpha = log(sigma^2 / theta^2) and <see cref="Sparsify"/> masks it
/// in the area mask, so the step removes FLOPs where the data says they are unused, not only weights.
/// </summary>
/// <remarks>theta is learned, as a weight is, so that log alpha can rise as fast as a weight's does (by theta falling)
/// on a small training set as on a large one. A kept position's theta cannot stay: the area mask is 0 or 1. Each map's
/// mean kept theta goes into the map's kernel, exact where the map's gates agree, and the pruning step's retraining
/// absorbs the rest.</remarks>
sealed class AreaDropout : IDisposable
{
    readonly Dictionary<MaskedConv2d, (Parameter Theta, Parameter LogSigma2)> _gates = new();

    /// <summary>Gates for every position of each layer's area mask, theta 1 and log sigma^2 <paramref
    /// name="initialLogSigma2"/>: log alpha starts where a weight of magnitude 1 starts.</summary>
    public AreaDropout(IEnumerable<MaskedConv2d> layers, double initialLogSigma2)
    {
        var all = layers.ToList();
        foreach (var layer in all.Where(l => l.area_mask is null))
            throw new ArgumentException(
                $"Layer '{layer.GetName()}' has no area mask: its positions cannot have dropout rates.",
                nameof(layers));
        foreach (var layer in all)
        {
            var area = layer.area_mask!;
            var shape = new[] { 1, layer.OutputUnits, area.shape[2], area.shape[3] };
            var device = layer.weight_orig.device;
            _gates[layer] = (ones(shape, device: device).AsParameter(),
                full(shape, initialLogSigma2, device: device).AsParameter());
        }
    }

    /// <summary>The layers with gated positions.</summary>
    public bool Gates(MaskedLayer layer) => layer is MaskedConv2d conv && _gates.ContainsKey(conv);

    /// <summary>theta and log sigma^2 of every gate.</summary>
    public IEnumerable<Parameter> Parameters => _gates.Values.SelectMany(g => new[] { g.Theta, g.LogSigma2 });

    /// <summary>log alpha of each position of <paramref name="layer"/>, [1, maps, height, width].</summary>
    public Tensor LogAlpha(MaskedConv2d layer)
    {
        var (theta, logSigma2) = _gates[layer];
        return LogAlpha(theta, logSigma2);
    }

    static Tensor LogAlpha(Tensor theta, Tensor logSigma2) => logSigma2 - (theta.square() + 1e-8).log();

    /// <summary>The gated output of <paramref name="layer"/> before its bias: in training a sample of preBias x
    /// N(theta, sigma^2), drawn per example (local reparameterization); in evaluation preBias x theta where the gate
    /// is kept, 0 where <see cref="Sparsify"/> would mask it.</summary>
    public Tensor Apply(MaskedConv2d layer, Tensor preBias, Scalar threshold)
    {
        var (theta, logSigma2) = _gates[layer];
        if (!layer.training)
        {
            Tensor keep;
            using (no_grad()) keep = LogAlpha(theta, logSigma2).le(threshold).to_type(preBias.dtype);
            return preBias * (theta * keep);
        }
        var sigma = (logSigma2 * 0.5).exp();
        return preBias * (theta + sigma * randn_like(preBias));
    }

    /// <summary>The prior's KL divergence over the live positions, each through <paramref
    /// name="negativeKl"/>.</summary>
    public Tensor? Divergence(Func<Tensor, Tensor> negativeKl)
    {
        Tensor? total = null;
        foreach (var (layer, (theta, logSigma2)) in _gates)
        {
            var sum = (negativeKl(LogAlpha(theta, logSigma2)) * Live(layer)).sum().neg();
            total = total is null ? sum : total + sum;
        }
        return total;
    }

    // 1 where the position computes: some input map is live there and the map has a live weight. [1, maps, h, w].
    static Tensor Live(MaskedConv2d layer) =>
        (layer.area_mask!.amax(new long[] { 1 }, keepdim: true)
            * layer.LiveAreaPairs().amax(new long[] { 1 }, keepdim: true)).permute(1, 0, 2, 3);

    /// <summary>Masks each live position whose log alpha is over <paramref name="threshold"/> (in every input map's
    /// plane), folds the mean theta of each map's kept positions into its kernel, and returns the positions masked and
    /// the kernel weights left with no area (masked too).</summary>
    public (long Positions, long Weights) Sparsify(Scalar threshold)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long positions = 0, weights = 0;
        foreach (var (layer, (theta, logSigma2)) in _gates)
        {
            var live = Live(layer).gt(Scalars.Zero);
            var drop = LogAlpha(theta, logSigma2).gt(threshold).logical_and(live);
            positions += drop.sum().item<long>();
            var keep = live.logical_and(drop.logical_not()).to_type(theta.dtype);
            var kept = keep.sum(new long[] { 0, 2, 3 });
            var scale = (theta * keep).sum(new long[] { 0, 2, 3 }) / kept.clamp_min(Scalars.One);
            scale = where(kept.gt(Scalars.Zero), scale, ones_like(scale));
            layer.weight_orig.mul_(scale.reshape(-1, 1, 1, 1));
            var area = layer.area_mask!.clone();
            area.masked_fill_(drop.permute(1, 0, 2, 3), Scalars.Zero);
            layer.SetAreaMask(area, layer.AreaMaskPerPair);
            weights += layer.DropWeightsWithoutArea();
        }
        return (positions, weights);
    }

    /// <summary>Frees the gates.</summary>
    public void Dispose()
    {
        foreach (var (theta, logSigma2) in _gates.Values)
        {
            theta.Dispose();
            logSigma2.Dispose();
        }
        _gates.Clear();
    }
}
