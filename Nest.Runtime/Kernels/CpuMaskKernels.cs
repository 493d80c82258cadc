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

    /// <summary>The 11-bit top digit of -infinity's key (0x007FFFFF >> 21).</summary>

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
    /// <remarks>
    /// Radix select in three digits of 11, 11 and 10 bits: the first histogram (2,048 bins) stays in
    /// L1 cache while the whole array streams past; a second pass gathers the keys that share the
    /// winning top digit, and the last two digits are selected among those alone. (A 16-bit first
    /// digit spills its histogram out of L1 and costs a cache miss per score: measured 0.84 GB/s.)
    /// </remarks>
    public unsafe float KthLargest(ReadOnlySpan<float> scores, long k)
    {
        fixed (float* pointer = scores)
        {
            var bits = (uint*)pointer;
            var length = scores.Length;
            var chunks = length < ParallelThreshold ? 1 : Environment.ProcessorCount;

            // Digit 1: bits 31..21 of every key; NaNs are found on the way (a branch that is never
            // taken costs nothing; counting -infinities with a branch would mispredict on every
            // other score of a half-masked layer).
            var histograms = new long[chunks][];
            var nans = new long[chunks];
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                var histogram = new long[1 << 11];
                long firstNaN = long.MaxValue;
                long start = (long)length * c / chunks, end = (long)length * (c + 1) / chunks;
                for (long i = start; i < end; i++)
                {
                    var b = bits[i];
                    if (FloatKeys.IsNaN(b)) { if (firstNaN == long.MaxValue) firstNaN = i; continue; }
                    histogram[FloatKeys.ToKey(b) >> 21]++;
                }
                histograms[c] = histogram;
                nans[c] = firstNaN;
            });
            var nanAt = nans.Min();
            if (nanAt != long.MaxValue)
                throw new ArgumentException($"scores[{nanAt}] is NaN; scores must be numbers", nameof(scores));
            var top = new long[1 << 11];
            foreach (var histogram in histograms) TensorPrimitives.Add(top, histogram, top);
            // -infinity's key is 0x007FFFFF, in digit-1 bin 3; every other key of bins 0 to 3 is a
            // NaN, and NaNs are gone, so that bin counts exactly the non-candidates.
            var candidates = length - top[FloatKeys.NegativeInfinityDigit];
            if (k < 1 || k > candidates)
                throw new ArgumentOutOfRangeException(nameof(k), k,
                    $"must be in [1, {candidates}] (the number of candidates among {length} scores)");

            // Digits 2 and 3 among the keys that share the winning first digit.
            var (bin, above) = FloatKeys.FindBin(top, k);
            var keys = Gather(bits, length, (uint)bin, histograms.Select(h => h[bin]).ToArray(), chunks);
            var remaining = k - above;
            var middle = new long[1 << 11];
            foreach (var key in keys) middle[(key >> 10) & 0x7FF]++;
            var (middleBin, middleAbove) = FloatKeys.FindBin(middle, remaining);
            var prefix = ((uint)bin << 21) | ((uint)middleBin << 10);
            var low = new long[1 << 10];
            foreach (var key in keys) if ((key & 0xFFFFFC00u) == prefix) low[key & 0x3FF]++;
            var (lowBin, _) = FloatKeys.FindBin(low, remaining - middleAbove);
            return BitConverter.UInt32BitsToSingle(FloatKeys.FromKey(prefix | (uint)lowBin));
        }
    }

    /// <summary>The keys (NaN-free by now) whose top 11 bits are <paramref name="digit"/>; each chunk
    /// writes straight to its own slice, sized by that chunk's histogram count.</summary>
    static unsafe uint[] Gather(uint* bits, int length, uint digit, long[] countPerChunk, int chunks)
    {
        var result = new uint[countPerChunk.Sum()];
        var offsets = new long[chunks];
        for (int c = 1; c < chunks; c++) offsets[c] = offsets[c - 1] + countPerChunk[c - 1];
        fixed (uint* output = result)
        {
            var destination = output;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                var at = destination + offsets[c];
                long start = (long)length * c / chunks, end = (long)length * (c + 1) / chunks;
                for (long i = start; i < end; i++)
                {
                    var key = FloatKeys.ToKey(bits[i]);
                    if (key >> 21 == digit) *at++ = key;
                }
            });
        }
        return result;
    }

    /// <inheritdoc />
    public long Grow(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight) =>
        Apply(scores, threshold, mask, weight, maskValue: 1f);

    /// <inheritdoc />
    public long Prune(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight) =>
        Apply(scores, threshold, mask, weight, maskValue: 0f);

    static unsafe long Apply(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight,
        float maskValue)
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

    static unsafe long ApplyRange(float* scores, float* mask, float* weight, long start, long end, float threshold,
        float maskValue)
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
    public unsafe void PartialAreaScores(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ConvGeometry g,
        Span<float> scores)
    {
        if (input.Length != g.InputLength || kernel.Length != g.KernelLength || scores.Length != g.ScoreLength)
            throw new ArgumentException($"lengths {input.Length}/{kernel.Length}/{scores.Length} do not match the geometry {g}");
        fixed (float* i = input, k = kernel, s = scores)
        {
            var (ip, kp, sp, length) = ((nint)i, (nint)k, (nint)s, scores.Length);
            var inputLength = input.Length;
            var kernelLength = kernel.Length;
            // Each score is a full window sum over the batch: heavy enough to split by rows of scores.
            var chunks =
                (long)length * g.Batch * g.Kernel * g.Kernel < ParallelThreshold ? 1 : Environment.ProcessorCount;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                var inputs = new ReadOnlySpan<float>((float*)ip, inputLength);
                var kernels = new ReadOnlySpan<float>((float*)kp, kernelLength);
                var output = (float*)sp;
                long start = (long)length * c / chunks, end = (long)length * (c + 1) / chunks;
                for (long index = start; index < end; index++)
                    output[index] = PartialArea.Score(inputs, kernels, g, index);
            });
        }
    }

    /// <summary>Nothing to release: the CPU path holds no native resources.</summary>
    public void Dispose() { }

    static void CheckLengths(int a, int b, int c)
    {
        if (a != b || b != c) throw new ArgumentException($"arrays must have one length; got {a}, {b} and {c}");
    }
}
