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
/// <remarks>MNIST digits leave the border of the image black, so the first positions to go are
/// those whose windows see only background: they cost FLOPs and contribute exactly nothing.
/// A convolution with more than <paramref name="pairMaxInputs"/> input maps is masked per output map
/// instead (the contribution of map o at a position is |its whole pre-activation| there): per pair,
/// its training costs about 5x the plain convolution's (<see cref="MaskedConv2d.area_mask"/>).</remarks>
public sealed class PartialAreaPruning(double fraction, ImageDataset data, Generator generator, int batches = 2, int batchSize = 128, int pairMaxInputs = 1) : IPruningPolicy
{
    /// <summary>The fraction of each convolution's live area positions masked per step.</summary>
    public double Fraction { get; } = fraction is >= 0 and < 1 ? fraction : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1)");

    /// <inheritdoc />
    public string Name => "partial areas";

    /// <inheritdoc />
    public PruningOutcome Prune(ISeedNetwork network, IMaskKernels kernels)
    {
        var convolutions = network.Topology.Layers.Where(l => l.Kind == LayerKind.Conv2d).ToList();
        if (convolutions.Count == 0 || Fraction == 0) return new PruningOutcome(0, 0);
        var scores = Contributions(network, convolutions, kernels);
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

    bool PerPair(MaskedConv2d layer) => layer.AreaMaskPerPair || (layer.area_mask is null && layer.InputUnits <= pairMaxInputs);

    /// <summary>Masks round(fraction x live) of the layer's live area positions (of pairs, or maps,
    /// with live weights) with the lowest contribution; returns the area positions and kernel weights removed.</summary>
    public static (long Areas, long Weights) PruneLayer(MaskedConv2d layer, float[] contribution, double fraction, IMaskKernels kernels)
    {
        using var scope = NewDisposeScope();
        var area = layer.area_mask ?? throw new InvalidOperationException($"Layer '{layer.GetName()}' has no area mask; call EnableAreaMask first.");
        long maps = layer.OutputUnits, planes = area.shape[1], positions = area.shape[2] * area.shape[3];
        var pairLive = layer.LiveAreaPairs().reshape(maps, planes, 1);
        var candidates = TensorArrays.Read(area.reshape(maps, planes, positions).mul(pairLive));
        if (contribution.Length != candidates.Length)
            throw new ArgumentException($"Layer '{layer.GetName()}': {contribution.Length} contributions for {candidates.Length} area positions.", nameof(contribution));
        // Scores are "higher = prune first": the negated contribution of each candidate position.
        var scores = new float[candidates.Length];
        for (int i = 0; i < scores.Length; i++) scores[i] = candidates[i] != 0 ? -contribution[i] : float.NegativeInfinity;
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
    Dictionary<int, float[]> Contributions(ISeedNetwork network, List<LayerDescription> convolutions, IMaskKernels kernels)
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
                    var geometry = new ConvGeometry((int)input.shape[0], (int)input.shape[1], (int)input.shape[2], (int)input.shape[3],
                        (int)layer.OutputUnits, (int)layer.Kernel, (int)layer.Stride, (int)layer.Padding);
                    scores = new float[geometry.ScoreLength];
                    kernels.PartialAreaScores(TensorArrays.Read(input), TensorArrays.Read(capture.EffectiveWeight), geometry, scores);
                }
                else
                {
                    using var _ = no_grad();
                    using var output = nn.functional.conv2d(input.detach(), capture.EffectiveWeight.detach(),
                        strides: new[] { layer.Stride, layer.Stride }, padding: new[] { layer.Padding, layer.Padding });
                    scores = TensorArrays.Read(output.abs().mean(new long[] { 0 }));   // [O, H, W]: per map
                }
                if (!sums.TryGetValue(description.Index, out var sum)) sums[description.Index] = sum = new double[scores.Length];
                for (int i = 0; i < scores.Length; i++) sum[i] += scores[i];
            }
        }, backward: false);   // contributions need the layers' inputs only
        return sums.ToDictionary(p => p.Key, p => p.Value.Select(v => (float)(v / Math.Max(1, count))).ToArray());
    }
}
