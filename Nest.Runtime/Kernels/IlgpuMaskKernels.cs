using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Nest.Runtime.Kernels;

/// <summary>
/// The mask operations as ILGPU kernels: on CUDA when a GPU is present (the production GPU path), or
/// on ILGPU's CPU emulator, which tests use to prove the kernels equal <see cref="CpuMaskKernels"/>.
/// Kernels are compiled once per instance and device buffers are kept and reused between calls.
/// </summary>
public sealed class IlgpuMaskKernels : IMaskKernels
{
    readonly Context _context;
    readonly Accelerator _accelerator;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> _scores;
    readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>> _highHistogram;
    readonly Action<Index1D, ArrayView<float>, ArrayView<int>, int> _lowHistogram;
    readonly Action<Index1D, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, float, ArrayView<int>> _apply;
    readonly Action<Index1D, ArrayView<float>, int, int, ArrayView<float>> _neuronMagnitudes;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>> _partialArea;
    readonly MemoryBuffer1D<float, Stride1D.Dense>[] _floats = new MemoryBuffer1D<float, Stride1D.Dense>[3];
    readonly MemoryBuffer1D<int, Stride1D.Dense> _histogram;
    readonly MemoryBuffer1D<int, Stride1D.Dense> _small;

    IlgpuMaskKernels(Context context, Accelerator accelerator)
    {
        _context = context;
        _accelerator = accelerator;
        _scores = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(MaskKernelSources.Scores);
        _highHistogram = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<int>>(MaskKernelSources.HighHistogram);
        _lowHistogram = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, int>(MaskKernelSources.LowHistogram);
        _apply = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, float, ArrayView<int>>(MaskKernelSources.Apply);
        _neuronMagnitudes = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, ArrayView<float>>(MaskKernelSources.NeuronMagnitudes);
        _partialArea = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>>(MaskKernelSources.PartialAreaScores);
        _histogram = accelerator.Allocate1D<int>(FloatKeys.Bins);
        _small = accelerator.Allocate1D<int>(8);
    }

    /// <summary>On the first CUDA device; null when there is none (or no CUDA driver).</summary>
    public static IlgpuMaskKernels? TryCreateCuda()
    {
        var context = Context.Create(builder => builder.Cuda());
        try
        {
            var devices = context.GetCudaDevices();
            var device = devices.Count > 0 ? devices[0] : null;
            if (device is null)
            {
                context.Dispose();
                return null;
            }
            return new IlgpuMaskKernels(context, device.CreateAccelerator(context));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            context.Dispose();
            return null;
        }
    }

    /// <summary>On ILGPU's CPU emulator: about a thousand times slower than <see cref="CpuMaskKernels"/>; for tests.</summary>
    public static IlgpuMaskKernels CreateCpuEmulator()
    {
        var context = Context.Create(builder => builder.CPU());
        return new IlgpuMaskKernels(context, context.CreateCPUAccelerator(0));
    }

    /// <inheritdoc />
    public string Name => $"ILGPU {_accelerator.AcceleratorType}: {_accelerator.Name}";

    /// <summary>The device's memory bandwidth is not exposed by ILGPU; its name and memory size are.</summary>
    public long DeviceMemoryBytes => _accelerator.MemorySize;

    /// <inheritdoc />
    public void DormantGradientScores(ReadOnlySpan<float> gradient, ReadOnlySpan<float> mask, Span<float> scores) =>
        Scores(gradient, mask, scores, mode: 0);

    /// <inheritdoc />
    public void LiveMagnitudeScores(ReadOnlySpan<float> weight, ReadOnlySpan<float> mask, Span<float> scores) =>
        Scores(weight, mask, scores, mode: 1);

    void Scores(ReadOnlySpan<float> values, ReadOnlySpan<float> mask, Span<float> scores, int mode)
    {
        if (values.Length != mask.Length || mask.Length != scores.Length)
            throw new ArgumentException($"arrays must have one length; got {values.Length}, {mask.Length} and {scores.Length}");
        if (values.Length == 0) return;
        var v = Upload(0, values);
        var m = Upload(1, mask);
        var s = Buffer(2, scores.Length);
        _scores(values.Length, v, m, s, mode);
        s.CopyToCPU(scores);
    }

    /// <inheritdoc />
    public float KthLargest(ReadOnlySpan<float> scores, long k)
    {
        var s = Upload(0, scores);
        var nanIndex = _small.View.SubView(0, 1);
        nanIndex.CopyFromCPU(new[] { int.MaxValue });
        _histogram.MemSetToZero();
        if (scores.Length > 0) _highHistogram(scores.Length, s, _histogram.View, nanIndex);
        var high = ReadHistogram();
        var nan = new int[1];
        _small.View.SubView(0, 1).CopyToCPU(nan);
        if (nan[0] != int.MaxValue) throw new ArgumentException($"scores[{nan[0]}] is NaN; scores must be numbers", nameof(scores));

        var candidates = scores.Length - high[FloatKeys.NegativeInfinityBin];
        if (k < 1 || k > candidates)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"must be in [1, {candidates}] (the number of candidates among {scores.Length} scores)");
        var (bin, above) = FloatKeys.FindBin(high, k);
        _histogram.MemSetToZero();
        _lowHistogram(scores.Length, s, _histogram.View, bin);
        var low = ReadHistogram();
        var (lowBin, _) = FloatKeys.FindBin(low, k - above);
        return BitConverter.UInt32BitsToSingle(FloatKeys.FromKey(((uint)bin << 16) | (uint)lowBin));
    }

    long[] ReadHistogram()
    {
        _accelerator.Synchronize();
        return _histogram.GetAsArray1D().Select(c => (long)c).ToArray();
    }

    /// <inheritdoc />
    public long Grow(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight) =>
        Apply(scores, threshold, mask, weight, 1f);

    /// <inheritdoc />
    public long Prune(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight) =>
        Apply(scores, threshold, mask, weight, 0f);

    long Apply(ReadOnlySpan<float> scores, float threshold, Span<float> mask, Span<float> weight, float value)
    {
        if (scores.Length != mask.Length || mask.Length != weight.Length)
            throw new ArgumentException($"arrays must have one length; got {scores.Length}, {mask.Length} and {weight.Length}");
        if (float.IsNaN(threshold)) throw new ArgumentException("threshold is NaN", nameof(threshold));
        if (scores.Length == 0) return 0;
        var s = Upload(0, scores);
        var m = Upload(1, mask);
        var w = Upload(2, weight);
        var count = _small.View.SubView(0, 1);
        count.MemSetToZero();
        _apply(scores.Length, s, threshold, m, w, value, count);
        _accelerator.Synchronize();
        m.CopyToCPU(mask);
        w.CopyToCPU(weight);
        var result = new int[1];
        count.CopyToCPU(result);
        return result[0];
    }

    /// <inheritdoc />
    public void NeuronMagnitudes(ReadOnlySpan<float> activations, int batch, int neurons, Span<float> result)
    {
        if (batch < 0 || neurons < 0 || (long)batch * neurons != activations.Length || result.Length != neurons)
            throw new ArgumentException($"activations hold {activations.Length} values, not batch {batch} x neurons {neurons}, or result is not {neurons} long");
        if (neurons == 0) return;
        var a = Upload(0, activations);
        var r = Buffer(1, neurons);
        _neuronMagnitudes(neurons, a, batch, neurons, r);
        r.CopyToCPU(result);
    }

    /// <inheritdoc />
    public void PartialAreaScores(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ConvGeometry g, Span<float> scores)
    {
        if (input.Length != g.InputLength || kernel.Length != g.KernelLength || scores.Length != g.ScoreLength)
            throw new ArgumentException($"lengths {input.Length}/{kernel.Length}/{scores.Length} do not match the geometry {g}");
        if (scores.Length == 0) return;
        var i = Upload(0, input);
        var k = Upload(1, kernel);
        var s = Buffer(2, scores.Length);
        using var dims = _accelerator.Allocate1D(new[] { g.Batch, g.InChannels, g.Height, g.Width, g.OutChannels, g.Kernel, g.Stride, g.Padding });
        _partialArea(scores.Length, i, k, dims.View, s);
        s.CopyToCPU(scores);
    }

    /// <summary>A view of buffer <paramref name="slot"/> holding <paramref name="data"/>, growing the buffer when needed.</summary>
    ArrayView<float> Upload(int slot, ReadOnlySpan<float> data)
    {
        var view = Buffer(slot, data.Length);
        if (data.Length > 0) view.CopyFromCPU(data);
        return view;
    }

    ArrayView<float> Buffer(int slot, int length)
    {
        if (_floats[slot] is null || _floats[slot].Length < length)
        {
            _floats[slot]?.Dispose();
            _floats[slot] = _accelerator.Allocate1D<float>(Math.Max(1, length));
        }
        return _floats[slot].View.SubView(0, length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var buffer in _floats) buffer?.Dispose();
        _histogram.Dispose();
        _small.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
