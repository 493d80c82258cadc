using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>
/// A layer whose weight is masked as in PyTorch's <c>torch.nn.utils.prune</c>: the trained parameter
/// is <see cref="weight_orig"/>, the 0/1 mask the buffer <see cref="weight_mask"/>, and the effective
/// weight <c>weight_orig * weight_mask</c>. Dimension 0 of the weight indexes output units (neurons or
/// feature maps), dimension 1 input units; growth and pruning resize along those two dimensions.
/// </summary>
/// <remarks>
/// Resizing replaces the parameters, so an optimizer built before a resize must be rebuilt after it.
/// New connections are dormant (mask 0, weight 0) until a growth policy switches them on.
/// </remarks>
public abstract class MaskedLayer : nn.Module<Tensor, Tensor>
{
    const string WeightOrigName = nameof(weight_orig);
    const string WeightMaskName = nameof(weight_mask);
    const string BiasName = nameof(bias);

    [ComponentName(Name = WeightOrigName)] Parameter _weightOrig;
    [ComponentName(Name = WeightMaskName)] Tensor _weightMask;
    [ComponentName(Name = BiasName)] Parameter? _bias;

    /// <summary>Creates a fully live layer whose weight has the given shape, initialised to zero.</summary>
    protected MaskedLayer(string name, long[] weightShape, bool hasBias) : base(name)
    {
        _weightOrig = zeros(weightShape).AsParameter();
        _weightMask = ones(weightShape);
        _bias = hasBias ? zeros(weightShape[0]).AsParameter() : null;
        ConditionallyRegisterParameter(WeightOrigName, _weightOrig);
        ConditionallyRegisterBuffer(WeightMaskName, _weightMask);
        ConditionallyRegisterParameter(BiasName, _bias);
    }

    /// <summary>The trained weight, live and dormant positions alike.</summary>
    public Parameter weight_orig
    {
        get => _weightOrig;
        set
        {
            if (Alive(_weightOrig) && value.Handle == _weightOrig.Handle) return;
            if (Alive(_weightOrig)) _weightOrig.Dispose();
            _weightOrig = (Parameter)value.DetachFromDisposeScope();
            ConditionallyRegisterParameter(WeightOrigName, _weightOrig);
        }
    }

    /// <summary>The 0/1 mask: 1 marks a live connection.</summary>
    public Tensor weight_mask
    {
        get => _weightMask;
        set
        {
            if (Alive(_weightMask) && value.Handle == _weightMask.Handle) return;
            if (Alive(_weightMask)) _weightMask.Dispose();
            _weightMask = value.DetachFromDisposeScope();
            ConditionallyRegisterBuffer(WeightMaskName, _weightMask);
        }
    }

    /// <summary>The bias, one per output unit; null when the layer has none.</summary>
    public Parameter? bias
    {
        get => _bias;
        set
        {
            if (Alive(_bias) && value?.Handle == _bias!.Handle) return;
            if (Alive(_bias)) _bias!.Dispose();
            _bias = (Parameter?)value?.DetachFromDisposeScope();
            ConditionallyRegisterParameter(BiasName, _bias);
        }
    }

    // Module.to(device) disposes a parameter or buffer before it sets the moved one through these setters: the old
    // tensor is then already gone, and neither compared nor disposed again.
    private protected static bool Alive(Tensor? tensor) => tensor is not null && !tensor.IsInvalid;

    /// <summary>The effective weight <c>weight_orig * weight_mask</c> (a new tensor, part of the autograd
    /// graph).</summary>
    public Tensor weight => _weightOrig * _weightMask;

    /// <summary>Number of output units: neurons of a dense layer, feature maps of a convolution.</summary>
    public long OutputUnits => _weightOrig.shape[0];

    /// <summary>Number of input units: input features of a dense layer, input channels of a convolution.</summary>
    public long InputUnits => _weightOrig.shape[1];

    /// <summary>Weights per (output unit, input unit) pair: 1 for dense layers, the kernel area for
    /// convolutions.</summary>
    public long ConnectionsPerPair => _weightOrig.numel() / Math.Max(1, OutputUnits * InputUnits);

    /// <summary>Number of live connections (ones in the mask).</summary>
    public long LiveConnections => _weightMask.count_nonzero().item<long>();

    /// <summary>Total number of positions, live or dormant.</summary>
    public long Capacity => _weightMask.numel();

    /// <summary>
    /// Initialises the sparse seed deterministically from <paramref name="randomSeed"/>: exactly
    /// <see cref="SeedDensity.ActiveCount"/> positions live, chosen uniformly at random; live weights
    /// uniform in +-1 / sqrt(effective fan-in), where the effective fan-in is density x fan-in; dormant
    /// weights and biases zero.
    /// </summary>
    /// <remarks>The bound is PyTorch's default for <c>nn.Linear</c> and <c>nn.Conv2d</c> (Kaiming uniform with
    /// a = sqrt 5), the one the peer trains with: He's bound (sqrt 6 times larger) trained LeNet-5 to twice the
    /// validation error at the same rate (docs/results.md). The full fan-in would shrink a 10%-dense layer's
    /// activations about 3x per layer, which is why the effective one is used.</remarks>
    public void InitializeSeed(double density, long randomSeed)
    {
        if (!(density > 0 && density <= 1))
            throw new ArgumentOutOfRangeException(nameof(density), density,
                $"Layer '{GetName()}': density must be in (0, 1].");
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)randomSeed));
        var total = Capacity;
        var live = SeedDensity.ActiveCount(total, density);
        using (no_grad())
        {
            var flatMask = zeros(total);
            if (live == total) flatMask.fill_(Scalars.One);
            else flatMask.index_fill_(0, randperm(total, generator: generator).narrow(0, 0, live), 1);
            var mask = flatMask.reshape(_weightMask.shape);
            _weightMask.copy_(mask);

            var fanIn = Math.Max(1.0, density * InputUnits * ConnectionsPerPair);
            var bound = 1 / Math.Sqrt(fanIn);
            var values = empty(_weightOrig.shape).uniform_(-bound, bound, generator);
            _weightOrig.copy_(values * mask);
            _bias?.zero_();
        }
    }

    /// <summary>Appends <paramref name="count"/> output units with dormant connections and zero bias.</summary>
    public void AppendOutputs(long count) => Resize(dim: 0, count, keep: null);

    /// <summary>Appends <paramref name="count"/> input units with dormant connections.</summary>
    public void AppendInputs(long count) => Resize(dim: 1, count, keep: null);

    /// <summary>Keeps only the output units at <paramref name="indices"/> (ascending), dropping the rest.</summary>
    public void KeepOutputs(long[] indices) => Resize(dim: 0, 0, indices);

    /// <summary>Keeps only the input units at <paramref name="indices"/> (ascending), dropping the rest.</summary>
    public void KeepInputs(long[] indices) => Resize(dim: 1, 0, indices);

    void Resize(int dim, long append, long[]? keep)
    {
        if (append < 0) throw new ArgumentOutOfRangeException(nameof(append), append, "count must not be negative");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor Apply(Tensor t, int d)
        {
            if (keep is not null)
            {
                using var index = tensor(keep, dtype: ScalarType.Int64, device: t.device);
                return t.index_select(d, index);
            }
            var shape = (long[])t.shape.Clone();
            shape[d] = append;
            return cat(new[] { t, zeros(shape, dtype: t.dtype, device: t.device) }, d);
        }

        var requiresGrad = _weightOrig.requires_grad;
        var newWeight = Apply(_weightOrig, dim).contiguous();
        var newMask = Apply(_weightMask, dim).contiguous();
        var newBias = dim == 0 && _bias is not null
            ? new Parameter(Apply(_bias, 0).contiguous(), _bias.requires_grad)
            : null;
        // The setters detach the new tensors from this dispose scope and dispose the old ones.
        weight_orig = new Parameter(newWeight, requiresGrad);
        weight_mask = newMask;
        if (dim == 0) bias = newBias;
        OnResizing(dim, append, keep);
        OnResized();
    }

    /// <summary>Lets a derived layer resize masks of its own along the same unit dimension: append
    /// <paramref name="append"/> units, or keep the units at <paramref name="keep"/> when given.</summary>
    protected virtual void OnResizing(int dim, long append, long[]? keep) { }

    /// <summary>When on, <see cref="forward"/> records a <see cref="Growth.GradientCapture"/> so that growth
    /// can read dL/dW at dormant positions and the layer's input and output gradients. Off for training.</summary>
    public bool CaptureGradients { get; set; }

    /// <summary>What the last forward pass recorded while <see cref="CaptureGradients"/> was on.</summary>
    public Growth.GradientCapture? LastCapture { get; private set; }

    /// <summary>Forgets the last capture (its tensors belong to the dispose scope of their batch).</summary>
    public void ClearCapture() => LastCapture = null;

    /// <summary>When on, <see cref="forward"/> multiplies by no mask: the trainer turns it on around a training
    /// forward pass whose masked entries of <c>weight_orig</c> are exactly zero and whose optimizer masks the
    /// gradient itself (<see cref="Training.FusedSgd"/>). Then <c>weight_orig</c> equals
    /// <c>weight_orig * weight_mask</c> bit for bit, and the product and its backward pass are saved. Set only by
    /// the trainer (and the batch-cost benchmark): on anywhere else, a masked connection would compute.</summary>
    public bool MaskedByOptimizer { get; internal set; }

    /// <inheritdoc />
    public sealed override Tensor forward(Tensor input)
    {
        var effective = MaskedByOptimizer && Noise is null && !CaptureGradients ? _weightOrig : weight;
        if (Noise is { } noise) return noise.Forward(this, input, effective);
        if (!CaptureGradients) return Compute(input, effective, _bias);
        // The effective weight is not a leaf; retain_grad keeps its gradient, the full dL/dW.
        effective.retain_grad();
        var output = Compute(input, effective, _bias);
        output.retain_grad();
        LastCapture = new Growth.GradientCapture(input, output, effective);
        return output;
    }

    /// <summary>When set, every forward pass goes through it instead (sparse variational dropout's noisy
    /// training pass and thresholded evaluation pass); null for plain masked layers.</summary>
    public IWeightNoise? Noise { get; set; }

    /// <summary>The layer's operation with the given weight and bias (null: none), its masks (area masks
    /// included) honoured: what <see cref="IWeightNoise"/> runs for the means and the variances.</summary>
    public Tensor Apply(Tensor input, Tensor effectiveWeight, Tensor? bias) => Compute(input, effectiveWeight, bias);

    /// <summary>The layer's operation with the given effective weight and bias (null: none).</summary>
    protected abstract Tensor Compute(Tensor input, Tensor effectiveWeight, Tensor? bias);

    /// <summary>Lets a derived layer refresh its size fields after a resize.</summary>
    protected virtual void OnResized() { }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _weightOrig.Dispose();
            _weightMask.Dispose();
            _bias?.Dispose();
        }
        base.Dispose(disposing);
    }
}
