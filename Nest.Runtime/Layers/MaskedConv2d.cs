using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>
/// A 2-D convolution with a pruning mask over every kernel weight and, once partial-area pruning has
/// started, an area mask over every (output map, input map, output position): the paper's partial-area
/// convolution, where each input map is convolved with each kernel only over the area that matters.
/// </summary>
public sealed class MaskedConv2d : MaskedLayer
{
    const string AreaMaskName = nameof(area_mask);

    [ComponentName(Name = AreaMaskName)] Tensor? _areaMask;

    /// <summary>Creates a fully live convolution with zero weights; seeds call <see
    /// cref="MaskedLayer.InitializeSeed"/>. <paramref name="name"/> (generated seeds pass the layer's) is what error
    /// messages call the layer.</summary>
    public MaskedConv2d(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0,
        bool hasBias = true, string? name = null)
        : base(name ?? nameof(MaskedConv2d),
               new[] { MaskedLinear.Positive(outChannels, nameof(outChannels)),
                   MaskedLinear.Positive(inChannels, nameof(inChannels)),
                       MaskedLinear.Positive(kernel, nameof(kernel)), kernel }, hasBias)
    {
        Kernel = kernel;
        Stride = MaskedLinear.Positive(stride, nameof(stride));
        Padding =
            padding >= 0 ? padding
                : throw new ArgumentOutOfRangeException(nameof(padding), padding, "must not be negative");
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

    /// <summary>
    /// The 0/1 area mask <c>[out maps, in maps, out height, out width]</c>: 0 where the convolution of an
    /// input map with its kernel is not computed at that output position; or, per map,
    /// <c>[out maps, 1, out height, out width]</c>: 0 where no input map is convolved with map o's kernels.
    /// Null until <see cref="EnableAreaMask"/>: the plain convolution, every area live.
    /// </summary>
    /// <remarks>Per pair with several input maps runs as a locally connected layer, measured 5x the time
    /// of the convolution (LeNet-5's second, grown); per map is a mask on the output, nearly free.</remarks>
    public Tensor? area_mask
    {
        get => _areaMask;
        private set
        {
            if (Alive(_areaMask) && value?.Handle == _areaMask!.Handle) return;
            if (Alive(_areaMask)) _areaMask!.Dispose();
            _areaMask = value?.DetachFromDisposeScope();
            ConditionallyRegisterBuffer(AreaMaskName, _areaMask);
        }
    }

    bool _areaPerPair;

    /// <summary>Whether the area mask has one plane per (output map, input map) pair rather than per output
    /// map.</summary>
    public bool AreaMaskPerPair => _areaMask is not null && _areaPerPair;

    /// <summary>Starts partial-area convolution with every area live (no change to the output): per
    /// (output map, input map) pair, or with <paramref name="perPair"/> false, per output map.</summary>
    public void EnableAreaMask(long outHeight, long outWidth, bool perPair = true)
    {
        if (_areaMask is not null)
        {
            if (_areaMask.shape[2] != outHeight || _areaMask.shape[3] != outWidth)
                throw new InvalidOperationException($"Layer '{GetName()}': area mask is {_areaMask.shape[2]}x{_areaMask.shape[3]}, not {outHeight}x{outWidth}.");
            return;
        }
        area_mask = ones(OutputUnits, perPair ? InputUnits : 1, outHeight, outWidth, device: weight_orig.device);
        _areaPerPair = perPair;
    }

    /// <summary>Replaces the area mask with a copy of <paramref name="mask"/> (per pair, or per map), or drops it
    /// (null).</summary>
    public void SetAreaMask(Tensor? mask, bool perPair = true)
    {
        var planes = perPair ? InputUnits : 1;
        if (mask is not null && (mask.shape.Length != 4 || mask.shape[0] != OutputUnits || mask.shape[1] != planes))
            throw new ArgumentException($"Layer '{GetName()}': an area mask {(perPair ? "per pair" : "per map")} must be [{OutputUnits}, {planes}, height, width], " +
                                        $"not [{string.Join(", ", mask.shape)}].", nameof(mask));
        area_mask = mask?.detach().clone();
        _areaPerPair = perPair;
    }

    /// <summary>1 for each (output map, input map) pair of the area mask (each output map, under a per-map
    /// mask) that has a live kernel weight, else 0: [O, I, 1, 1] or [O, 1, 1, 1], to multiply the area mask.</summary>
    /// <exception cref="InvalidOperationException">The layer has no area mask.</exception>
    public Tensor LiveAreaPairs()
    {
        var area =
            _areaMask
                ?? throw new InvalidOperationException($"Layer '{GetName()}' has no area mask; call EnableAreaMask first.");
        var dims = area.shape[1] == 1 ? new long[] { 1, 2, 3 } : new long[] { 2, 3 };
        return weight_mask.sum(dims, keepdim: true).gt(Scalars.Zero).to_type(area.dtype);
    }

    /// <summary>Masks the kernel weights of every pair (or map, under a per-map mask) left with no live
    /// area position: they no longer compute anything, so they stop counting as parameters. Returns
    /// the weights removed; 0 without an area mask.</summary>
    public long DropWeightsWithoutArea()
    {
        if (_areaMask is null) return 0;
        using var scope = NewDisposeScope();
        var empty = _areaMask.sum(new long[] { 2, 3 }).eq(Scalars.Zero).unsqueeze(2).unsqueeze(3);
        var before = LiveConnections;
        using (no_grad())
        {
            weight_mask.masked_fill_(empty, Scalars.Zero);
            weight_orig.masked_fill_(empty, Scalars.Zero);
        }
        return before - LiveConnections;
    }

    /// <summary>Multiply-accumulates per input example: live kernel weights times live area positions of each (output
    /// map, input map) pair, or live weights times every output position without an area mask.</summary>
    public long MultiplyAccumulates(long outputPositions)
    {
        if (_areaMask is null) return LiveConnections * outputPositions;
        using var scope = NewDisposeScope();
        var weights = weight_mask.sum(new long[] { 2, 3 });
        var areas = _areaMask.sum(new long[] { 2, 3 });   // [O, I] or [O, 1], which broadcasts over inputs
        return (long)Math.Round((weights * areas).sum().item<float>());
    }

    /// <inheritdoc />
    protected override Tensor Compute(Tensor input, Tensor effectiveWeight, Tensor? bias)
    {
        input = ChannelsLast(input);
        var strides = new[] { Stride, Stride };
        var padding = new[] { Padding, Padding };
        if (_areaMask is null)
            return nn.functional.conv2d(input, effectiveWeight, bias, strides: strides, padding: padding);
        long maps = OutputUnits, inputs = InputUnits, height = _areaMask.shape[2], width = _areaMask.shape[3];
        Tensor output;
        if (_areaMask.shape[1] == 1)
        {
            // Per map (or one input map): the area mask is a mask on the output of the plain convolution.
            output = nn.functional.conv2d(input, effectiveWeight, null, strides: strides,
                padding: padding) * _areaMask.squeeze(1);
        }
        else
        {
            // A locally connected layer: at each output position l the weight of (o, i) is its kernel
            // times the area mask at l, applied to the unfolded input patches (one batched product).
            var area = Kernel * Kernel;
            var positions = height * width;
            var patches = nn.functional.unfold(input, Kernel, 1, Padding, Stride);                 // [B, I*K*K, L]
            var local = (effectiveWeight.reshape(maps, inputs, area, 1) * _areaMask.reshape(maps, inputs, 1, positions))
                .reshape(maps, inputs * area, positions);                                             // [O, I*K*K, L]
            output = einsum("bcl,ocl->bol", patches, local).reshape(input.shape[0], maps, height, width);
        }
        return bias is null ? output : output + bias.reshape(1, maps, 1, 1);
    }

    /// <summary>
    /// The same values laid out channels-last (NHWC strides). LibTorch's CPU convolution then writes its
    /// output channels-last too, and max pooling and activations on that layout skip LibTorch's slow NCHW
    /// pooling path (bench/results/train-speed.md). A single-channel batch needs no copy, only other
    /// strides; a layout already channels-last is kept.
    /// </summary>
    public static Tensor ChannelsLast(Tensor input)
    {
        if (input.dim() != 4 || input.stride(1) == 1 && input.shape[1] > 1) return input;
        if (input.shape[1] == 1 && input.is_contiguous())
        {
            var strides = new[] { input.stride(0), 1, input.stride(2), input.stride(3) };
            return input.as_strided(input.shape, strides, input.storage_offset());
        }
        return input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    }

    /// <inheritdoc />
    protected override void OnResizing(int dim, long append, long[]? keep)
    {
        if (_areaMask is null || (dim == 1 && !_areaPerPair)) return;   // a per-map mask has no input dimension
        using var scope = NewDisposeScope();
        Tensor next;
        if (keep is not null)
        {
            using var index = tensor(keep, dtype: ScalarType.Int64, device: _areaMask.device);
            next = _areaMask.index_select(dim, index);
        }
        else
        {
            var shape = (long[])_areaMask.shape.Clone();
            shape[dim] = append;
            // New maps and new inputs start with their whole area live, as a plain convolution.
            next = cat(new[] { _areaMask, ones(shape, device: _areaMask.device) }, dim);
        }
        area_mask = next.contiguous();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _areaMask?.Dispose();
        base.Dispose(disposing);
    }
}
