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
    public static void Scores(Index1D i, ArrayView<float> values, ArrayView<float> mask, ArrayView<float> scores, int mode)
    {
        var magnitude = IntrinsicMath.Abs(values[i]);
        var dormant = mask[i] == 0f;
        if (mode == 0) scores[i] = dormant ? magnitude : float.NegativeInfinity;
        else scores[i] = dormant ? float.NegativeInfinity : -magnitude;
    }

    /// <summary>Histogram of the high 16 bits of each score's key; the lowest NaN index goes to nan[0].</summary>
    public static void HighHistogram(Index1D i, ArrayView<float> scores, ArrayView<int> histogram, ArrayView<int> nan)
    {
        var bits = Interop.FloatAsInt(scores[i]);
        if (FloatKeys.IsNaN(bits))
        {
            Atomic.Min(ref nan[0], i);
            return;
        }
        Atomic.Add(ref histogram[(int)(FloatKeys.ToKey(bits) >> 16)], 1);
    }

    /// <summary>Histogram of the low 16 bits of the keys whose high 16 bits are <paramref name="high"/>.</summary>
    public static void LowHistogram(Index1D i, ArrayView<float> scores, ArrayView<int> histogram, int high)
    {
        var key = FloatKeys.ToKey(Interop.FloatAsInt(scores[i]));
        if ((int)(key >> 16) == high) Atomic.Add(ref histogram[(int)(key & 0xFFFF)], 1);
    }

    /// <summary>Candidates scoring at least the threshold get mask = value and weight 0; count[0] counts them.</summary>
    public static void Apply(Index1D i, ArrayView<float> scores, float threshold, ArrayView<float> mask, ArrayView<float> weight, float value, ArrayView<int> count)
    {
        var s = scores[i];
        if (s >= threshold && s > float.NegativeInfinity)
        {
            mask[i] = value;
            weight[i] = 0f;
            Atomic.Add(ref count[0], 1);
        }
    }

    /// <summary>One thread per neuron j: mean over the batch of |activations[b, j]|, summed in batch order.</summary>
    public static void NeuronMagnitudes(Index1D j, ArrayView<float> activations, int batch, int neurons, ArrayView<float> result)
    {
        float sum = 0;
        for (int b = 0; b < batch; b++) sum += IntrinsicMath.Abs(activations[b * neurons + j]);
        result[j] = batch > 0 ? sum / batch : 0f;
    }

    /// <summary>One thread per score: the same loops, in the same order, as <see cref="PartialArea.Score"/>.</summary>
    public static void PartialAreaScores(Index1D index, ArrayView<float> input, ArrayView<float> kernel, ArrayView<int> dims, ArrayView<float> scores)
    {
        int batch = dims[0], inChannels = dims[1], height = dims[2], width = dims[3], size = dims[5], stride = dims[6], padding = dims[7];
        int oh = (height + 2 * padding - size) / stride + 1, ow = (width + 2 * padding - size) / stride + 1;
        int x = index % ow;
        int y = index / ow % oh;
        int i = index / (ow * oh) % inChannels;
        int o = index / (ow * oh * inChannels);
        float total = 0;
        for (int b = 0; b < batch; b++)
        {
            float sum = 0;
            for (int dy = 0; dy < size; dy++)
            {
                int iy = y * stride - padding + dy;
                if (iy < 0 || iy >= height) continue;
                for (int dx = 0; dx < size; dx++)
                {
                    int ix = x * stride - padding + dx;
                    if (ix < 0 || ix >= width) continue;
                    sum += input[((b * inChannels + i) * height + iy) * width + ix]
                           * kernel[((o * inChannels + i) * size + dy) * size + dx];
                }
            }
            total += IntrinsicMath.Abs(sum);
        }
        scores[index] = batch > 0 ? total / batch : 0f;
    }
}
