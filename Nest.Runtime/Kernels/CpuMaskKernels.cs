using System.Numerics;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace Nest.Runtime.Kernels;

/// <summary>
/// The production CPU path: <see cref="Vector{T}"/> and TensorPrimitives for the element-wise steps,
/// a two-pass 16-bit radix select (histograms per thread, merged) for the threshold, chunks spread
/// over the cores. ILGPU's CPU accelerator is an emulator, far too slow for this.
/// </summary>
public sealed class CpuMaskKernels : IMaskKernels
{
    /// <summary>Below this many elements one thread does the work (spreading costs more than it saves).</summary>
    const int ParallelThreshold = 1 << 18;

    /// <inheritdoc />
    public string Name => $"CPU (Vector<float> x {Vector<float>.Count}, {Environment.ProcessorCount} threads)";

    /// <inheritdoc />
    public void DormantGradientScores(ReadOnlySpan<float> gradient, ReadOnlySpan<float> mask, Span<float> scores)
    {
        CheckLengths(gradient.Length, mask.Length, scores.Length);
        TensorPrimitives.Abs(gradient, scores);
        Select(mask, scores, candidatesWhereMaskIsZero: true);
    }

    /// <inheritdoc />
    public void LiveMagnitudeScores(ReadOnlySpan<float> weight, ReadOnlySpan<float> mask, Span<float> scores)
    {
        CheckLengths(weight.Length, mask.Length, scores.Length);
        TensorPrimitives.Abs(weight, scores);
        TensorPrimitives.Negate(scores, scores);
        Select(mask, scores, candidatesWhereMaskIsZero: false);
    }

    /// <summary>Keeps scores of candidates, puts -infinity elsewhere.</summary>
    static void Select(ReadOnlySpan<float> mask, Span<float> scores, bool candidatesWhereMaskIsZero)
    {
        var negativeInfinity = new Vector<float>(float.NegativeInfinity);
        var m = MemoryMarshal.Cast<float, Vector<float>>(mask);
        var s = MemoryMarshal.Cast<float, Vector<float>>(scores);
        for (int i = 0; i < m.Length; i++)
        {
            var isZero = Vector.Equals(m[i], Vector<float>.Zero);
            s[i] = candidatesWhereMaskIsZero
                ? Vector.ConditionalSelect(isZero, s[i], negativeInfinity)
                : Vector.ConditionalSelect(isZero, negativeInfinity, s[i]);
        }
        for (int i = m.Length * Vector<float>.Count; i < mask.Length; i++)
            if ((mask[i] == 0) != candidatesWhereMaskIsZero) scores[i] = float.NegativeInfinity;
    }

    /// <inheritdoc />
    public unsafe float KthLargest(ReadOnlySpan<float> scores, long k)
    {
        fixed (float* pointer = scores)
        {
            var data = pointer;
            var length = scores.Length;
            var high = Histogram(length, (start, end, histogram, firstNaN) =>
            {
                var bits = (uint*)data;
                for (long i = start; i < end; i++)
                {
                    var b = bits[i];
                    if (FloatKeys.IsNaN(b)) { firstNaN[0] = Math.Min(firstNaN[0], i); continue; }
                    histogram[FloatKeys.ToKey(b) >> 16]++;
                }
            }, out var nanAt);
            if (nanAt >= 0) throw new ArgumentException($"scores[{nanAt}] is NaN; scores must be numbers", nameof(scores));

            var candidates = length - high[FloatKeys.NegativeInfinityBin];
            if (k < 1 || k > candidates)
                throw new ArgumentOutOfRangeException(nameof(k), k, $"must be in [1, {candidates}] (the number of candidates among {length} scores)");

            var (bin, above) = FloatKeys.FindBin(high, k);
            var highBits = (uint)bin << 16;
            var low = Histogram(length, (start, end, histogram, _) =>
            {
                var bits = (uint*)data;
                for (long i = start; i < end; i++)
                {
                    var key = FloatKeys.ToKey(bits[i]);
                    if ((key & 0xFFFF0000u) == highBits) histogram[key & 0xFFFF]++;
                }
            }, out _);
            var (lowBin, _) = FloatKeys.FindBin(low, k - above);
            return BitConverter.UInt32BitsToSingle(FloatKeys.FromKey(highBits | (uint)lowBin));
        }
    }

    delegate void HistogramBody(long start, long end, long[] histogram, long[] firstNaN);

    /// <summary>Runs <paramref name="body"/> over chunks, each with its own histogram, and merges them.</summary>
    static long[] Histogram(int length, HistogramBody body, out long firstNaN)
    {
        var chunks = length < ParallelThreshold ? 1 : Environment.ProcessorCount;
        var histograms = new long[chunks][];
        var nans = new long[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var histogram = new long[FloatKeys.Bins];
            var firstNaNOfChunk = new[] { long.MaxValue };
            body((long)length * c / chunks, (long)length * (c + 1) / chunks, histogram, firstNaNOfChunk);
            histograms[c] = histogram;
            nans[c] = firstNaNOfChunk[0];
        });
        var merged = histograms[0];
        for (int c = 1; c < chunks; c++)
            TensorPrimitives.Add(merged, histograms[c], merged);
        var nan = nans.Min();
        firstNaN = nan == long.MaxValue ? -1 : nan;
        return merged;
    }

    /// <inheritdoc />
    public long Grow(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight) =>
        Apply(scores, threshold, mask, weight, maskValue: 1f);

    /// <inheritdoc />
    public long Prune(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight) =>
        Apply(scores, threshold, mask, weight, maskValue: 0f);

    static unsafe long Apply(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight, float maskValue)
    {
        CheckLengths(scores.Length, mask.Length, weight.Length);
        if (float.IsNaN(threshold)) throw new ArgumentException("threshold is NaN", nameof(threshold));
        fixed (float* s = scores, m = mask, w = weight)
        {
            var sp = s; var mp = m; var wp = w;
            var length = scores.Length;
            var chunks = length < ParallelThreshold ? 1 : Environment.ProcessorCount;
            var counts = new long[chunks];
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                long start = (long)length * c / chunks, end = (long)length * (c + 1) / chunks;
                counts[c] = ApplyRange(sp, mp, wp, start, end, threshold, maskValue);
            });
            return counts.Sum();
        }
    }

    static unsafe long ApplyRange(float* scores, float* mask, float* weight, long start, long end, float threshold, float maskValue)
    {
        long count = 0;
        var width = Vector<float>.Count;
        var t = new Vector<float>(threshold);
        var value = new Vector<float>(maskValue);
        var negativeInfinity = new Vector<float>(float.NegativeInfinity);
        long i = start;
        for (; i + width <= end; i += width)
        {
            var s = Vector.Load(scores + i);
            // Selected: a candidate (above -infinity) scoring at least the threshold.
            var selected = Vector.GreaterThanOrEqual(s, t) & Vector.GreaterThan(s, negativeInfinity);
            if (selected == Vector<int>.Zero) continue;
            Vector.ConditionalSelect(selected, value, Vector.Load(mask + i)).Store(mask + i);
            Vector.ConditionalSelect(selected, Vector<float>.Zero, Vector.Load(weight + i)).Store(weight + i);
            count -= Vector.Sum(selected);   // true lanes are -1
        }
        for (; i < end; i++)
        {
            var s = scores[i];
            if (s >= threshold && s > float.NegativeInfinity)
            {
                mask[i] = maskValue;
                weight[i] = 0;
                count++;
            }
        }
        return count;
    }

    /// <inheritdoc />
    public void NeuronMagnitudes(ReadOnlySpan<float> activations, int batch, int neurons, Span<float> result)
    {
        if (batch < 0 || neurons < 0 || (long)batch * neurons != activations.Length || result.Length != neurons)
            throw new ArgumentException($"activations hold {activations.Length} values, not batch {batch} x neurons {neurons}, or result is not {neurons} long");
        result.Clear();
        var row = new float[neurons];
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Abs(activations.Slice(b * neurons, neurons), row);
            TensorPrimitives.Add(result, row, result);
        }
        if (batch > 0) TensorPrimitives.Divide(result, batch, result);
    }

    /// <inheritdoc />
    public void PartialAreaScores(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ConvGeometry g, Span<float> scores)
    {
        if (input.Length != g.InputLength || kernel.Length != g.KernelLength || scores.Length != g.ScoreLength)
            throw new ArgumentException($"lengths {input.Length}/{kernel.Length}/{scores.Length} do not match the geometry {g}");
        for (long index = 0; index < scores.Length; index++)
            scores[(int)index] = PartialArea.Score(input, kernel, g, index);
    }

    /// <summary>Nothing to release: the CPU path holds no native resources.</summary>
    public void Dispose() { }

    static void CheckLengths(int a, int b, int c)
    {
        if (a != b || b != c) throw new ArgumentException($"arrays must have one length; got {a}, {b} and {c}");
    }
}
