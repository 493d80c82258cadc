using Nest.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Sparse variational dropout (Molchanov, Ashukha, Vetrov 2017, arXiv 1701.05369): while attached, each
/// live weight w of the layers is a Gaussian N(w, sigma^2) under a log-uniform prior, trained through the
/// local reparameterization trick (each output is drawn from the Gaussian its weights induce: mean
/// x W + b, variance x^2 sigma^2). The prior's KL divergence (<see cref="Loss"/>, per training image)
/// pushes weights the data does not need to a large log alpha = log(sigma^2 / w^2); <see cref="Sparsify"/>
/// then masks those over <see cref="Threshold"/> (alpha 20: dropout rate above 95%).
/// </summary>
/// <remarks>
/// Attaching sets <see cref="MaskedLayer.Noise"/>; disposing detaches. In evaluation mode a layer computes
/// with the weights <see cref="Sparsify"/> would keep, so a validation error read during the phase is
/// the sparsified network's. log sigma^2 is the trained parameter (additive reparameterization), not
/// alpha: its gradients' variance does not grow with alpha, which is what lets alpha grow without bound.
/// Train it with Adam: the KL gradient per weight is divided by the training set's size, too small for SGD.
/// </remarks>
public sealed class SparseVariationalDropout : IWeightNoise, ILossTerm, IDisposable
{
    // Molchanov et al.'s fit of the negative KL divergence to the log-uniform prior:
    // -KL ~ K1 sigmoid(K2 + K3 log alpha) - 0.5 log(1 + 1/alpha) - K1.
    // Held as Scalars made once: a double converted on every batch makes a native Scalar that only the
    // finalizer frees (see LogAlpha's remarks for what did make the heap grow).
    static readonly Scalar K1 = 0.63576.ToScalar(), K2 = 1.87320.ToScalar(), K3 = 1.48695.ToScalar(), Half =
        0.5.ToScalar();
    static readonly Scalar Epsilon = 1e-8.ToScalar();

    readonly Dictionary<MaskedLayer, Parameter> _logSigma2 = new();
    // Per-position factor on the KL term: (multiply-accumulates)^exponent, for the layers given costs.
    readonly Dictionary<MaskedLayer, Tensor> _costFactor = new();
    readonly Scalar _threshold;

    /// <summary>Attaches to <paramref name="layers"/> with every log sigma^2 at <paramref
    /// name="initialLogSigma2"/>.</summary> <param name="layers">The masked layers to sparsify.</param> <param
    /// name="trainingImages">The training set's size: the KL term is per image, as the cross-entropy.</param> <param
    /// name="threshold">log alpha above which <see cref="Sparsify"/> masks a weight.</param> <param name="warmup">Share
    /// of the training over which the KL weight rises linearly from 0 to 1, so the noise does not push weights out
    /// before the data has ranked them.</param> <param name="initialLogSigma2">Start of log sigma^2: small, so training
    /// starts from the trained network.</param> <param name="connectionCosts">Multiply-accumulates per example of each
    /// weight, for the layers where it is not 1 (convolutions: <see cref="ConnectionCosts.Of"/>); with
    /// <paramref name="costExponent"/> g above 0 each weight's KL term is multiplied by cost^g, so the prior asks more
    /// of a weight that computes at many positions: the FLOPs fall with the parameters instead of staying in the first
    /// convolution.</param> <param name="costExponent">g in cost^g (0: every weight alike, as in the paper).</param>
    public SparseVariationalDropout(IEnumerable<MaskedLayer> layers, long trainingImages, double threshold = 3,
        double warmup = 0.25, double initialLogSigma2 = -10,
        IReadOnlyDictionary<MaskedLayer, float[]>? connectionCosts = null, double costExponent = 0)
    {
        if (costExponent is < 0 or > 4 || double.IsNaN(costExponent))
            throw new ArgumentOutOfRangeException(nameof(costExponent), costExponent, "must be in [0, 4]");
        if (trainingImages <= 0)
            throw new ArgumentOutOfRangeException(nameof(trainingImages), trainingImages, "must be positive");
        if (double.IsNaN(threshold) || double.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "must be a number");
        if (warmup is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "must be in [0, 1]");
        TrainingImages = trainingImages;
        Threshold = threshold;
        Warmup = warmup;
        // Every check before any attachment, so a refusal leaves no layer half attached.
        var all = layers.ToList();
        foreach (var layer in all)
        {
            if (layer.Noise is not null)
                throw new InvalidOperationException($"Layer '{layer.GetName()}' already has a weight noise attached.");
            if (costExponent > 0 && connectionCosts is not null && connectionCosts.TryGetValue(layer, out var costs)
                && costs.Length != layer.weight_orig.numel())
                throw new ArgumentException($"Layer '{layer.GetName()}': {costs.Length} connection costs for {layer.weight_orig.numel()} weights.", nameof(connectionCosts));
        }
        _threshold = threshold.ToScalar();
        foreach (var layer in all)
        {
            _logSigma2[layer] =
                full(layer.weight_orig.shape, initialLogSigma2, device: layer.weight_orig.device).AsParameter();
            if (costExponent > 0 && connectionCosts is not null && connectionCosts.TryGetValue(layer, out var costs))
            {
                using var c = tensor(costs, layer.weight_orig.shape, device: layer.weight_orig.device);
                _costFactor[layer] = c.clamp_min(Scalars.One).Power(costExponent).DetachFromDisposeScope();
            }
            layer.Noise = this;
        }
        CostExponent = costExponent;
    }

    /// <summary>g in the KL factor cost^g (0: every weight alike).</summary>
    public double CostExponent { get; }

    /// <summary>Images in the training set (the KL term is divided by it).</summary>
    public long TrainingImages { get; }

    /// <summary>log alpha above which a weight is masked.</summary>
    public double Threshold { get; }

    /// <summary>Share of the training over which the KL weight rises from 0 to 1.</summary>
    public double Warmup { get; }

    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters => _logSigma2.Values;

    /// <summary>log alpha = log sigma^2 - log w^2 of every position of <paramref name="layer"/>.</summary>
    /// <remarks>Not clipped, unlike the paper's code (+-8): sigmoid and softplus are stable at any value, and
    /// measured here a clamp in the per-batch KL made glibc's heap grow by about a tensor per batch
    /// (resident memory of a LeNet-300-100 synthesis grew past 10 GB; without it the run peaks at 2.2 GB).</remarks>
    public Tensor LogAlpha(MaskedLayer layer) => LogAlpha(_logSigma2[layer], layer.weight);

    static Tensor LogAlpha(Tensor logSigma2, Tensor weight) =>
        logSigma2 - (weight.square() + Epsilon).log();

    /// <inheritdoc />
    public Tensor Forward(MaskedLayer layer, Tensor input, Tensor effectiveWeight)
    {
        var logSigma2 = _logSigma2[layer];
        if (!layer.training)
        {
            Tensor keep;
            using (no_grad()) keep = LogAlpha(logSigma2, effectiveWeight).le(_threshold).to_type(effectiveWeight.dtype);
            return layer.Apply(input, effectiveWeight * keep, layer.bias);
        }
        var mean = layer.Apply(input, effectiveWeight, layer.bias);
        var variance = layer.Apply(input.square(), logSigma2.exp() * layer.weight_mask, null);
        return mean + (variance + Epsilon).sqrt() * randn_like(mean);
    }

    /// <summary>The KL divergence of the live weights to the prior, summed (a scalar in the autograd graph).</summary>
    public Tensor Divergence()
    {
        Tensor? total = null;
        foreach (var (layer, logSigma2) in _logSigma2)
        {
            var logAlpha = LogAlpha(logSigma2, layer.weight);
            var negative = sigmoid(logAlpha * K3 + K2) * K1 - nn.functional.softplus(logAlpha.neg()) * Half - K1;
            var live = _costFactor.TryGetValue(layer, out var factor) ? layer.weight_mask * factor : layer.weight_mask;
            var sum = (negative * live).sum().neg();
            total = total is null ? sum : total + sum;
        }
        return total ?? tensor(0f);
    }

    /// <inheritdoc />
    public Tensor Loss(double progress)
    {
        var weight = Warmup > 0 ? Math.Min(1, progress / Warmup) : 1;
        using var scale = (weight / TrainingImages).ToScalar();
        return Divergence() * scale;
    }

    /// <summary>Masks every live weight whose log alpha is over <see cref="Threshold"/> (weight_orig zeroed
    /// too) and returns how many it masked.</summary>
    public long Sparsify()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long removed = 0;
        foreach (var layer in _logSigma2.Keys)
        {
            var drop = LogAlpha(layer).gt(_threshold).logical_and(layer.weight_mask.gt(Scalars.Zero));
            removed += drop.sum().item<long>();
            layer.weight_mask.masked_fill_(drop, Scalars.Zero);
            layer.weight_orig.masked_fill_(drop, Scalars.Zero);
        }
        return removed;
    }

    /// <summary>Detaches from the layers and frees the log sigma^2 parameters.</summary>
    public void Dispose()
    {
        foreach (var (layer, logSigma2) in _logSigma2)
        {
            if (ReferenceEquals(layer.Noise, this)) layer.Noise = null;
            logSigma2.Dispose();
        }
        _logSigma2.Clear();
        foreach (var factor in _costFactor.Values) factor.Dispose();
        _costFactor.Clear();
        _threshold.Dispose();
    }
}
