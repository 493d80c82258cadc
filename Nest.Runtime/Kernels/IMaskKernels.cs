namespace Nest.Runtime.Kernels;

/// <summary>
/// The mask operations of growth and pruning, on flat float arrays. Two implementations give the same
/// results bit for bit: <see cref="CpuMaskKernels"/> (vectorised, multi-threaded) and
/// <see cref="IlgpuMaskKernels"/> (CUDA when a GPU is present; ILGPU's CPU emulator in tests).
/// </summary>
/// <remarks>
/// Scores are "higher is more deserving": of growth, |dL/dw| of a dormant connection; of pruning,
/// -|w| of a live one (so the weakest score highest). Positions that are not candidates score
/// negative infinity. Selection keeps every candidate whose score is at least the k-th largest, so
/// ties at the threshold are all kept (both implementations agree on that, and it never depends on
/// the order of threads). NaN anywhere is rejected with an <see cref="ArgumentException"/>.
/// </remarks>
public interface IMaskKernels : IDisposable
{
    /// <summary>Which implementation and device ran, for logs and reports.</summary>
    string Name { get; }

    /// <summary>scores[i] = |gradient[i]| where mask[i] == 0 (a dormant connection), else -infinity.</summary>
    void DormantGradientScores(ReadOnlySpan<float> gradient, ReadOnlySpan<float> mask, Span<float> scores);

    /// <summary>scores[i] = -|weight[i]| where mask[i] != 0 (a live connection), else -infinity.</summary>
    void LiveMagnitudeScores(ReadOnlySpan<float> weight, ReadOnlySpan<float> mask, Span<float> scores);

    /// <summary>The k-th largest score (1-based) among the candidates (scores above -infinity).</summary>
    /// <exception cref="ArgumentException">A score is NaN (the message gives its index).</exception>
    /// <exception cref="ArgumentOutOfRangeException">k is not in [1, number of candidates].</exception>
    float KthLargest(ReadOnlySpan<float> scores, long k);

    /// <summary>Switches on every candidate scoring at least <paramref name="threshold"/>: mask 1, weight 0.
    /// Returns how many were switched on.</summary>
    long Grow(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight);

    /// <summary>Switches off every candidate scoring at least <paramref name="threshold"/>: mask 0, weight 0.
    /// Returns how many were switched off.</summary>
    long Prune(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight);

    /// <summary>result[j] = mean over the batch of |activations[b, j]| (row-major <c>[batch, neurons]</c>).</summary>
    void NeuronMagnitudes(ReadOnlySpan<float> activations, int batch, int neurons, Span<float> result);

    /// <summary> Partial-area contribution of each (output map o, input map i) pair at each output position: scores[o,
    /// i, y, x] = mean over the batch of |sum over the kernel window of input[b, i, ...] * kernel[o, i, ...]|, the
    /// convolution of one input map with one kernel (padding zeros counted as zeros). </summary>
    void PartialAreaScores(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ConvGeometry geometry,
        Span<float> scores);
}

/// <summary>Sizes of a convolution for <see cref="IMaskKernels.PartialAreaScores"/>.</summary>
public readonly record struct ConvGeometry(int Batch, int InChannels, int Height, int Width, int OutChannels,
    int Kernel, int Stride, int Padding)
{
    /// <summary>Output height.</summary>
    public int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;
    /// <summary>Values in the input: Batch x InChannels x Height x Width.</summary>
    public long InputLength => (long)Batch * InChannels * Height * Width;
    /// <summary>Values in the kernel: OutChannels x InChannels x Kernel x Kernel.</summary>
    public long KernelLength => (long)OutChannels * InChannels * Kernel * Kernel;
    /// <summary>Values in the scores: OutChannels x InChannels x OutHeight x OutWidth.</summary>
    public long ScoreLength => (long)OutChannels * InChannels * OutHeight * OutWidth;
}
