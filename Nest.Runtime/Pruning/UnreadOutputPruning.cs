using Nest.Runtime.Growth;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary> Masks what no live connection reads: the area positions of a convolution whose outputs its consumer never
/// reads (through max pooling), and the incoming weights of a dense unit whose output no live weight of its consumer
/// reads. An exact change of the network's function that lowers its parameters and FLOPs: the mirror image of <see
/// cref="ConstantInputFolding"/>. </summary> <remarks> A sparse consumer reads few of its inputs. On LeNet-5 the first
/// dense layer ends 1-2% dense, so a pooled position of the second convolution can be left with no live weight, and the
/// four output positions under it cost FLOPs for nothing; the second convolution's sparse kernels, each computed only
/// on its live area, can leave positions of the first one unread in the same way. Pruning then also stops counting such
/// dead weights as live, so each step's fraction falls on weights that matter. Layers are visited from the output back,
/// so what one visit masks can leave its producer's outputs unread for the next. A producer whose outputs reach the
/// consumer through any layer other than max pooling, a flatten or dropout (which keep "unread" unread) is left alone,
/// as is one whose shapes do not line up. A convolution without an area mask gets one per output map (free to train)
/// when it has unread positions. </remarks>
public sealed class UnreadOutputPruning : IPruningPolicy
{
    /// <inheritdoc />
    public string Name => "unread outputs";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, Kernels.IMaskKernels kernels)
    {
        long weights = 0, areas = 0;
        var layers = network.Topology.Layers;
        foreach (var description in layers.Where(l =>
            l.HasWeights && !l.IsOutput && l.Consumer >= 0).OrderByDescending(l => l.Index))
        {
            var between = layers.Where(l => l.Index > description.Index && l.Index < description.Consumer).ToList();
            if (between.Any(l => l.Kind is not (LayerKind.MaxPool2d or LayerKind.Flatten or LayerKind.Dropout)))
                continue;
            var producer = network.MaskedLayerAt(description.Index)!;
            var consumer = network.MaskedLayerAt(description.Consumer)!;
            if (producer is MaskedConv2d conv)
            {
                var read = ReadInputs(consumer, layers[description.Consumer]);
                var outputs =
                    ReadOutputs(read, (int)conv.OutputUnits, description.OutputShape[1], description.OutputShape[2],
                    between.Where(l => l.Kind == LayerKind.MaxPool2d).ToList());
                if (outputs is null) continue;
                var (a, w) = MaskUnreadArea(conv, outputs, description.OutputShape[1], description.OutputShape[2]);
                areas += a;
                weights += w;
            }
            else if (consumer.InputUnits == producer.OutputUnits && between.All(l => l.Kind != LayerKind.MaxPool2d))
            {
                weights += MaskUnreadUnits(producer, consumer);
            }
        }
        return new PruningOutcome(weights, 0, areas);
    }

    /// <summary>Which inputs of the consumer at least one live connection reads: [inputs] of a dense
    /// layer; [maps x height x width] of a convolution, honouring its area mask.</summary>
    static bool[] ReadInputs(MaskedLayer consumer, LayerDescription description)
    {
        var mask = TensorArrays.Read(consumer.weight_mask);
        int outputs = (int)consumer.OutputUnits, inputs = (int)consumer.InputUnits;
        if (consumer is not MaskedConv2d conv)
        {
            var columns = new bool[inputs];
            for (int o = 0; o < outputs; o++)
                for (int i = 0; i < inputs; i++)
                    if (mask[o * inputs + i] != 0) columns[i] = true;
            return columns;
        }
        int inHeight = description.InputShape[1], inWidth = description.InputShape[2];
        int outHeight = description.OutputShape[1], outWidth = description.OutputShape[2];
        int kernel = (int)conv.Kernel, stride = (int)conv.Stride, padding = (int)conv.Padding;
        var area = conv.area_mask is { } a ? TensorArrays.Read(a) : null;
        var planes = conv.AreaMaskPerPair ? inputs : 1;
        var read = new bool[inputs * inHeight * inWidth];
        for (int o = 0; o < outputs; o++)
            for (int i = 0; i < inputs; i++)
                for (int ky = 0; ky < kernel; ky++)
                    for (int kx = 0; kx < kernel; kx++)
                    {
                        if (mask[((o * inputs + i) * kernel + ky) * kernel + kx] == 0) continue;
                        var plane = (o * planes + (planes == 1 ? 0 : i)) * outHeight * outWidth;
                        for (int oy = 0; oy < outHeight; oy++)
                        {
                            var y = oy * stride - padding + ky;
                            if (y < 0 || y >= inHeight) continue;
                            for (int ox = 0; ox < outWidth; ox++)
                            {
                                var x = ox * stride - padding + kx;
                                if (x < 0 || x >= inWidth
                                    || (area is not null && area[plane + oy * outWidth + ox] == 0)) continue;
                                read[(i * inHeight + y) * inWidth + x] = true;
                            }
                        }
                    }
        return read;
    }

    /// <summary>Maps the consumer's read inputs back through the pooling layers to the producer's
    /// [maps x height x width] outputs: an output is read when a read pooled window covers it. Null when
    /// the sizes do not line up.</summary>
    static bool[]? ReadOutputs(bool[] read, int maps, int height, int width, List<LayerDescription> pools)
    {
        var sizes = new List<(int Height, int Width)> { (height, width) };
        foreach (var pool in pools)
        {
            var (h, w) = sizes[^1];
            var stride = pool.Stride == 0 ? pool.Kernel : pool.Stride;
            sizes.Add(((h - pool.Kernel) / stride + 1, (w - pool.Kernel) / stride + 1));
        }
        if (read.Length != maps * sizes[^1].Height * sizes[^1].Width) return null;
        for (int p = pools.Count - 1; p >= 0; p--)
        {
            var (h, w) = sizes[p];
            var (ph, pw) = sizes[p + 1];
            int kernel = pools[p].Kernel, stride = pools[p].Stride == 0 ? kernel : pools[p].Stride;
            var before = new bool[maps * h * w];
            for (int m = 0; m < maps; m++)
                for (int py = 0; py < ph; py++)
                    for (int px = 0; px < pw; px++)
                    {
                        if (!read[(m * ph + py) * pw + px]) continue;
                        for (int y = py * stride; y < py * stride + kernel; y++)
                            for (int x = px * stride; x < px * stride + kernel; x++)
                                before[(m * h + y) * w + x] = true;
                    }
            read = before;
        }
        return read;
    }

    /// <summary>Masks every plane of the area mask at the unread output positions, then the kernel
    /// weights of pairs left with no area; returns the live area positions and weights removed.</summary>
    static (long Areas, long Weights) MaskUnreadArea(MaskedConv2d conv, bool[] read, int height, int width)
    {
        if (read.All(r => r)) return (0, 0);
        using var scope = NewDisposeScope();
        if (conv.area_mask is null) conv.EnableAreaMask(height, width, perPair: false);
        var area = conv.area_mask!;
        var before = (area * conv.LiveAreaPairs()).sum().item<float>();
        var values = TensorArrays.Read(area);
        long maps = area.shape[0], planes = area.shape[1], positions = (long)height * width;
        for (long m = 0; m < maps; m++)
            for (long p = 0; p < planes; p++)
                for (long l = 0; l < positions; l++)
                    if (!read[m * positions + l]) values[(m * planes + p) * positions + l] = 0;
        TensorArrays.Write(area, values);
        var after = (area * conv.LiveAreaPairs()).sum().item<float>();
        return ((long)Math.Round(before - after), conv.DropWeightsWithoutArea());
    }

    /// <summary>Masks the incoming weights of the units with no live fan-out (<see cref="DeadNeuronPruning.FanOut"/>,
    /// which removes such units physically at the end); returns the weights removed.</summary>
    static long MaskUnreadUnits(MaskedLayer layer, MaskedLayer consumer)
    {
        using var scope = NewDisposeScope();
        var keep = DeadNeuronPruning.FanOut(layer, consumer).gt(Scalars.Zero)
            .to_type(layer.weight_mask.dtype).reshape(-1, 1);
        if (keep.min().item<float>() > 0) return 0;
        var before = layer.LiveConnections;
        using (no_grad())
        {
            layer.weight_mask.mul_(keep);
            layer.weight_orig.mul_(keep);
        }
        return before - layer.LiveConnections;
    }
}
