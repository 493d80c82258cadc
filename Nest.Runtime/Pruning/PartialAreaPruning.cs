using Nest.Runtime.Data;
using Nest.Runtime.Growth;
using Nest.Runtime.Kernels;
using static TorchSharp.torch;

namespace Nest.Runtime.Pruning;

/// <summary>
/// Partial-area convolution (NeST): for every (input map, kernel) pair of each convolution, the
/// contribution of the pair at each output position is |input map * kernel| there, averaged over a
/// few training batches; each step masks the live positions contributing least, a fraction of each
/// convolution's live positions (ties at the threshold go together). A pair left with no live area
/// loses its kernel weights too, so they stop counting as parameters; FLOPs count live weights times
/// live area positions (<see cref="MaskedConv2d.MultiplyAccumulates"/>).
/// </summary>
/// <remarks>MNIST digits leave the border of the image black; with <see cref="Data.InputScaling.ZeroBackground"/>
/// inputs the first convolution's windows there contribute exactly nothing, so they go first and for free.
/// Standardized inputs make the same windows add a constant (the background value x the kernel's sum).
/// A convolution with more than <paramref name="pairMaxInputs"/> input maps is masked per output map
/// instead (the contribution of map o at a position is |its whole pre-activation| there): per pair,
/// its training costs about 5x the plain convolution's (<see cref="MaskedConv2d.area_mask"/>).</remarks>
/// <remarks>With <see cref="AreaScore.Taylor"/> a position scores mean |c x dL/du| instead, c the convolution's
/// contribution there and u its output: the first-order loss change of masking it (Molchanov et al. 2017's
/// Taylor criterion, per position), so a large contribution that later layers barely use goes early.</remarks>
public sealed class PartialAreaPruning(double fraction, ImageDataset data, Generator generator, int batches = 2,
    int batchSize = 128, int pairMaxInputs = 1,
    AreaScore score = AreaScore.Contribution) : IPruningPolicy
{
    /// <summary>How area positions are ranked.</summary>
    public AreaScore Score { get; } = score;

    /// <summary>The fraction of each convolution's live area positions masked per step.</summary>
    public double Fraction { get; } =
        fraction is >= 0 and < 1 ? fraction
            : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1)");

    /// <inheritdoc />
    public string Name => "partial areas";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, IMaskKernels kernels)
    {
        var convolutions = network.Topology.Layers.Where(l => l.Kind == LayerKind.Conv2d).ToList();
        if (convolutions.Count == 0 || Fraction == 0) return new PruningOutcome(0, 0);
        var scores = Score == AreaScore.Taylor
            ? TaylorScores(network, convolutions, data, batches, batchSize, generator, PerPair)
            : Contributions(network, convolutions, kernels);
        long weightsRemoved = 0, areasRemoved = 0;
        foreach (var description in convolutions)
        {
            var layer = (MaskedConv2d)network.MaskedLayerAt(description.Index)!;
            layer.EnableAreaMask(description.OutputShape[1], description.OutputShape[2], perPair: PerPair(layer));
            var (removed, weights) = PruneLayer(layer, scores[description.Index], Fraction, kernels);
            areasRemoved += removed;
            weightsRemoved += weights;
        }
        return new PruningOutcome(weightsRemoved, 0, areasRemoved);
    }

    bool PerPair(MaskedConv2d layer) =>
        layer.AreaMaskPerPair || (layer.area_mask is null && layer.InputUnits <= pairMaxInputs);

    /// <summary>Masks round(fraction x live) of the layer's live area positions (of pairs, or maps, with live weights)
    /// with the lowest contribution; returns the area positions and kernel weights removed.</summary>
    public static (long Areas, long Weights) PruneLayer(MaskedConv2d layer, float[] contribution, double fraction,
        IMaskKernels kernels)
    {
        using var scope = NewDisposeScope();
        var area =
            layer.area_mask
                ?? throw new InvalidOperationException($"Layer '{layer.GetName()}' has no area mask; call EnableAreaMask first.");
        long maps = layer.OutputUnits, planes = area.shape[1], positions = area.shape[2] * area.shape[3];
        var pairLive = layer.LiveAreaPairs().reshape(maps, planes, 1);
        var candidates = TensorArrays.Read(area.reshape(maps, planes, positions).mul(pairLive));
        if (contribution.Length != candidates.Length)
            throw new ArgumentException($"Layer '{layer.GetName()}': {contribution.Length} contributions for {candidates.Length} area positions.", nameof(contribution));
        // Scores are "higher = prune first": the negated contribution of each candidate position.
        var scores = new float[candidates.Length];
        for (int i = 0; i < scores.Length; i++)
            scores[i] = candidates[i] != 0 ? -contribution[i] : float.NegativeInfinity;
        var live = candidates.LongCount(c => c != 0);
        var k = (long)Math.Round(fraction * live, MidpointRounding.AwayFromZero);
        if (k <= 0) return (0, 0);
        var threshold = kernels.KthLargest(scores, k);
        var mask = TensorArrays.Read(area);
        var scratch = new float[mask.Length];
        var removed = kernels.Prune(scores, threshold, mask, scratch);
        TensorArrays.Write(area, mask);

        // A pair (or map) with no live area left has kernel weights that no longer compute anything.
        return (removed, layer.DropWeightsWithoutArea());
    }

    /// <summary>The mean contribution of each (output map, input map, position) of every convolution,
    /// keyed by layer index, with the kernels as they are now.</summary>
    Dictionary<int,
        float[]> Contributions(ISeedNetwork network, List<LayerDescription> convolutions, IMaskKernels kernels)
    {
        var sums = new Dictionary<int, double[]>();
        var count = GrowthGradients.Run(network, data, batches, batchSize, generator, captures =>
        {
            foreach (var description in convolutions)
            {
                var layer = (MaskedConv2d)network.MaskedLayerAt(description.Index)!;
                var capture = captures[description.Index];
                var input = capture.Input;
                float[] scores;
                if (PerPair(layer))
                {
                    var geometry =
                        new ConvGeometry((int)input.shape[0], (int)input.shape[1], (int)input.shape[2],
                            (int)input.shape[3],
                        (int)layer.OutputUnits, (int)layer.Kernel, (int)layer.Stride, (int)layer.Padding);
                    scores = new float[geometry.ScoreLength];
                    kernels.PartialAreaScores(TensorArrays.Read(input), TensorArrays.Read(capture.EffectiveWeight),
                        geometry, scores);
                }
                else
                {
                    using var _ = no_grad();
                    using var output = nn.functional.conv2d(input.detach(), capture.EffectiveWeight.detach(),
                        strides: new[] { layer.Stride, layer.Stride }, padding: new[] { layer.Padding, layer.Padding });
                    scores = TensorArrays.Read(output.abs().mean(new long[] { 0 }));   // [O, H, W]: per map
                }
                if (!sums.TryGetValue(description.Index, out var sum))
                    sums[description.Index] = sum = new double[scores.Length];
                for (int i = 0; i < scores.Length; i++) sum[i] += scores[i];
            }
        }, backward: false);   // contributions need the layers' inputs only
        return sums.ToDictionary(p => p.Key, p => p.Value.Select(v => (float)(v / Math.Max(1, count))).ToArray());
    }

    /// <summary>The Taylor score of each (output map, input map or all of them, position) of every convolution,
    /// keyed by layer index: mean over images of |c x g|, c the contribution of the pair (or of the whole map)
    /// at the position without bias, g the loss gradient of the convolution's output there.</summary>
    /// <remarks>Per pair over several input maps the contributions run as a grouped convolution, images x
    /// pairs x positions values per batch (LeNet-5's second: 128 x 1,000 x 64).</remarks>
    public static Dictionary<int,
        float[]> TaylorScores(ISeedNetwork network, IReadOnlyList<LayerDescription> convolutions, ImageDataset data,
        int batches, int batchSize, Generator generator, Func<MaskedConv2d, bool> perPair)
    {
        var sums = new Dictionary<int, Tensor>();
        try
        {
            var count = GrowthGradients.Run(network, data, batches, batchSize, generator, captures =>
            {
                using var _ = no_grad();
                foreach (var description in convolutions)
                {
                    var layer = (MaskedConv2d)network.MaskedLayerAt(description.Index)!;
                    var capture = captures[description.Index];
                    var gradient =
                        capture.Output.grad
                            ?? throw new InvalidOperationException($"Layer '{layer.GetName()}': no output gradient captured.");
                    var input = capture.Input.detach();
                    var weight = capture.EffectiveWeight.detach();
                    var strides = new[] { layer.Stride, layer.Stride };
                    var padding = new[] { layer.Padding, layer.Padding };
                    long maps = layer.OutputUnits, inputs = layer.InputUnits;
                    Tensor score;
                    if (perPair(layer) && inputs > 1)
                    {
                        // Group i convolves input map i with every kernel (o, i): channel i x maps + o.
                        var grouped = weight.transpose(0, 1).reshape(inputs * maps, 1, layer.Kernel, layer.Kernel);
                        var pairs =
                            nn.functional.conv2d(input, grouped, strides: strides, padding: padding, groups: inputs);
                        var b = pairs.shape[0];
                        score = (pairs.reshape(b, inputs, maps, pairs.shape[2], pairs.shape[3]) * gradient.unsqueeze(1))
                            .abs().mean(new long[] { 0 }).transpose(0, 1);   // [O, I, H, W]
                    }
                    else
                    {
                        var contribution = nn.functional.conv2d(input, weight, strides: strides, padding: padding);
                        score = (contribution * gradient).abs().mean(new long[] { 0 });   // [O, H, W]: per map (or its one input)
                    }
                    if (sums.TryGetValue(description.Index, out var sum)) sum.add_(score);
                    else sums[description.Index] =
                        score.contiguous().DetachFromDisposeScope();   // kept past the batch's scope
                }
            });
            return sums.ToDictionary(p => p.Key, p =>
            {
                using var mean = p.Value.Over(Math.Max(1, count));
                return TensorArrays.Read(mean);
            });
        }
        finally
        {
            foreach (var sum in sums.Values) sum.Dispose();
        }
    }
}
