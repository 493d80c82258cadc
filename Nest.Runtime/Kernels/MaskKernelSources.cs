using ILGPU;

namespace Nest.Runtime.Kernels;

/// <summary>
/// The ILGPU kernels: static methods over <see cref="Index1D"/> and array views, no objects inside,
/// each loaded once per accelerator by <see cref="IlgpuMaskKernels"/>. Their arithmetic mirrors
/// <see cref="CpuMaskKernels"/> so that both paths agree exactly.
/// </summary>
internal static class MaskKernelSources
{
    /// <summary>mode 0: |a| where mask == 0 (growth); mode 1: -|a| where mask != 0 (pruning); -inf elsewhere.</summary>
    public static void Scores(Index1D i, ArrayView<float> values, ArrayView<float> mask, ArrayView<float> scores,
        int mode)
    {
        var magnitude = IntrinsicMath.Abs(values[i]);
        var dormant = mask[i] == 0f;
        if (mode == 0) scores[i] = dormant ? magnitude : float.NegativeInfinity;
        else scores[i] = dormant ? float.NegativeInfinity : -magnitude;
    }

    /// <summary>
    /// One radix pass of the k-th largest selection, over the whole array with a grid-stride loop: each
    /// group counts digit <paramref name="pass"/> of the keys that carry <paramref name="prefix"/> in a
    /// shared-memory histogram (global atomics on a few hot bins ran at 21 GB/s on an H200), then adds
    /// its non-zero bins to <paramref name="histogram"/>. Pass 0 also puts the lowest NaN index in nan[0].
    /// </summary>
    public static void DigitHistogram(ArrayView<float> scores, ArrayView<int> histogram, ArrayView<int> nan, int pass,
        uint prefix)
    {
        var local = SharedMemory.Allocate<int>(FloatKeys.DigitBins);
        for (int bin = Group.IdxX; bin < FloatKeys.DigitBins; bin += Group.DimX) local[bin] = 0;
        Group.Barrier();
        int length = scores.IntLength, stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < length; i += stride)
        {
            var bits = Interop.FloatAsInt(scores[i]);
            if (pass == 0 && FloatKeys.IsNaN(bits))
            {
                Atomic.Min(ref nan[0], i);
                continue;
            }
            var key = FloatKeys.ToKey(bits);
            if (FloatKeys.HasPrefix(key, pass, prefix)) Atomic.Add(ref local[FloatKeys.Digit(key, pass)], 1);
        }
        Group.Barrier();
        for (int bin = Group.IdxX; bin < FloatKeys.DigitBins; bin += Group.DimX)
            if (local[bin] != 0) Atomic.Add(ref histogram[bin], local[bin]);
    }

    /// <summary>
    /// Candidates scoring at least the threshold get mask = value and weight 0, over the whole array with
    /// a grid-stride loop; each group sums its count in shared memory and adds it to count[0] once
    /// (one global atomic per selected position capped the update at 11% of an H200's bandwidth).
    /// </summary>
    public static void Apply(ArrayView<float> scores, float threshold, ArrayView<float> mask, ArrayView<float> weight,
        float value, ArrayView<int> count)
    {
        var groupCount = SharedMemory.Allocate<int>(1);
        if (Group.IdxX == 0) groupCount[0] = 0;
        Group.Barrier();
        int length = scores.IntLength, stride = Grid.DimX * Group.DimX, selected = 0;
        for (int i = Grid.GlobalIndex.X; i < length; i += stride)
        {
            var s = scores[i];
            if (s >= threshold && s > float.NegativeInfinity)
            {
                mask[i] = value;
                weight[i] = 0f;
                selected++;
            }
        }
        if (selected != 0) Atomic.Add(ref groupCount[0], selected);
        Group.Barrier();
        if (Group.IdxX == 0 && groupCount[0] != 0) Atomic.Add(ref count[0], groupCount[0]);
    }

    /// <summary>One thread per neuron j: mean over the batch of |activations[b, j]|, summed in batch order.</summary>
    public static void NeuronMagnitudes(Index1D j, ArrayView<float> activations, int batch, int neurons,
        ArrayView<float> result)
    {
        float sum = 0;
        for (int b = 0; b < batch; b++) sum += IntrinsicMath.Abs(activations[b * neurons + j]);
        result[j] = batch > 0 ? sum / batch : 0f;
    }

    /// <summary>One thread per score: the same loops, in the same order, as <see cref="PartialArea.Score"/>.</summary>
    public static void PartialAreaScores(Index1D index, ArrayView<float> input, ArrayView<float> kernel,
        ArrayView<int> dims, ArrayView<float> scores)
    {
        int batch = dims[0], inChannels = dims[1], height = dims[2], width = dims[3], size = dims[5], stride = dims[6],
            padding = dims[7];
        int oh = (height + 2 * padding - size) / stride + 1, ow = (width + 2 * padding - size) / stride + 1;
        int x = index % ow;
        int y = index / ow % oh;
        int i = index / (ow * oh) % inChannels;
        int o = index / (ow * oh * inChannels);
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            double sum = 0;
            for (int dy = 0; dy < size; dy++)
            {
                int iy = y * stride - padding + dy;
                if (iy < 0 || iy >= height) continue;
                for (int dx = 0; dx < size; dx++)
                {
                    int ix = x * stride - padding + dx;
                    if (ix < 0 || ix >= width) continue;
                    // In double: the product of two floats is exact there, so whether CUDA's compiler
                    // contracts a * b + c into a fused multiply-add or not, the sum is the same.
                    sum += (double)input[((b * inChannels + i) * height + iy) * width + ix]
                           * kernel[((o * inChannels + i) * size + dy) * size + dx];
                }
            }
            total += IntrinsicMath.Abs(sum);
        }
        scores[index] = batch > 0 ? (float)(total / batch) : 0f;
    }
}
