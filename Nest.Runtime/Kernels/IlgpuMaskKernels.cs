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
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<int>, int, uint> _digitHistogram;
    readonly Action<KernelConfig, ArrayView<float>, float, ArrayView<float>, ArrayView<float>, float,
        ArrayView<int>> _apply;
    readonly int _groupSize;
    readonly int _maxGroups;
    readonly Action<Index1D, ArrayView<float>, int, int, ArrayView<float>> _neuronMagnitudes;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>> _partialArea;
    readonly MemoryBuffer1D<float, Stride1D.Dense>[] _floats = new MemoryBuffer1D<float, Stride1D.Dense>[3];
    readonly MemoryBuffer1D<int, Stride1D.Dense> _histogram;
    readonly MemoryBuffer1D<int, Stride1D.Dense> _small;

    IlgpuMaskKernels(Context context, Accelerator accelerator)
    {
        _context = context;
        _accelerator = accelerator;
        _scores = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            int>(MaskKernelSources.Scores);
        _digitHistogram = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<int>, int,
            uint>(MaskKernelSources.DigitHistogram);
        _apply = accelerator.LoadStreamKernel<ArrayView<float>, float, ArrayView<float>, ArrayView<float>, float,
            ArrayView<int>>(MaskKernelSources.Apply);
        // Grid-stride kernels: enough resident groups to fill the device, each looping over the array.
        _groupSize = Math.Min(256, accelerator.MaxNumThreadsPerGroup);
        _maxGroups = Math.Max(1, accelerator.MaxNumThreads / _groupSize);
        _neuronMagnitudes = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int,
            ArrayView<float>>(MaskKernelSources.NeuronMagnitudes);
        _partialArea = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>,
            ArrayView<int>, ArrayView<float>>(MaskKernelSources.PartialAreaScores);
        _histogram = accelerator.Allocate1D<int>(FloatKeys.DigitBins);
        _small = accelerator.Allocate1D<int>(8);
    }

    /// <summary>On the first CUDA device; null when there is none (or no CUDA driver).</summary>
    public static IlgpuMaskKernels? TryCreateCuda() => TryCreateCuda(out _);

    /// <summary>On the first CUDA device; null when there is none, with <paramref name="reason"/> saying why.</summary>
    public static IlgpuMaskKernels? TryCreateCuda(out string reason)
    {
        Context? context = null;
        try
        {
            context = Context.Create(builder => builder.Cuda());
            var devices = context.GetCudaDevices();
            if (devices.Count == 0)
            {
                context.Dispose();
                reason = "ILGPU found no CUDA device (is the NVIDIA driver's libcuda.so.1 on the library path?)";
                return null;
            }
            reason = "";
            return new IlgpuMaskKernels(context, devices[0].CreateAccelerator(context));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            context?.Dispose();
            reason = $"CUDA could not be started: {e.GetType().Name}: {e.Message}";
            return null;
        }
    }

    /// <summary>On ILGPU's CPU emulator: about a thousand times slower than <see cref="CpuMaskKernels"/>; for
    /// tests.</summary>
    public static IlgpuMaskKernels CreateCpuEmulator()
    {
        var context = Context.Create(builder => builder.CPU());
        return new IlgpuMaskKernels(context, context.CreateCPUAccelerator(0));
    }

    /// <summary>The device the kernels run on, for callers that keep their arrays there.</summary>
    public Accelerator Accelerator => _accelerator;

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
    public float KthLargest(ReadOnlySpan<float> scores, long k) => KthLargest(Upload(0, scores), k);

    /// <summary>
    /// <see cref="KthLargest(ReadOnlySpan{float}, long)"/> over scores already on this device: no
    /// transfer but the two 64K-bin histograms (a GPU training loop keeps its scores there).
    /// </summary>
    public float KthLargest(ArrayView<float> scores, long k)
    {
        var nanIndex = _small.View.SubView(0, 1);
        nanIndex.CopyFromCPU(new[] { int.MaxValue });
        var top = Histogram(scores, nanIndex, pass: 0, prefix: 0);
        var nan = new int[1];
        nanIndex.CopyToCPU(nan);
        if (nan[0] != int.MaxValue)
            throw new ArgumentException($"scores[{nan[0]}] is NaN; scores must be numbers", nameof(scores));

        var candidates = scores.Length - top[FloatKeys.NegativeInfinityDigit];
        if (k < 1 || k > candidates)
            throw new ArgumentOutOfRangeException(nameof(k), k,
                $"must be in [1, {candidates}] (the number of candidates among {scores.Length} scores)");
        var (bin, above) = FloatKeys.FindBin(top, k);
        var prefix = FloatKeys.WithDigit(0, 0, bin);
        for (int pass = 1; pass < 3; pass++)
        {
            (bin, var passed) = FloatKeys.FindBin(Histogram(scores, nanIndex, pass, prefix), k - above);
            above += passed;
            prefix = FloatKeys.WithDigit(prefix, pass, bin);
        }
        return BitConverter.UInt32BitsToSingle(FloatKeys.FromKey(prefix));
    }

    long[] Histogram(ArrayView<float> scores, ArrayView<int> nanIndex, int pass, uint prefix)
    {
        _histogram.MemSetToZero();
        if (scores.Length > 0) _digitHistogram(Config(scores.Length), scores, _histogram.View, nanIndex, pass, prefix);
        _accelerator.Synchronize();
        return _histogram.GetAsArray1D().Select(c => (long)c).ToArray();
    }

    KernelConfig Config(long length) =>
        new((int)Math.Min(_maxGroups, (length + _groupSize - 1) / _groupSize), _groupSize);

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
        if (scores.Length == 0) return 0;
        var m = Upload(1, mask);
        var w = Upload(2, weight);
        var count = Apply(Upload(0, scores), threshold, m, w, value);
        m.CopyToCPU(mask);
        w.CopyToCPU(weight);
        return count;
    }

    /// <summary><see cref="Prune(ReadOnlySpan{float}, float, Span{float}, Span{float})"/> over arrays already on this
    /// device.</summary>
    public long Prune(ArrayView<float> scores, float threshold, ArrayView<float> mask, ArrayView<float> weight) =>
        Apply(scores, threshold, mask, weight, 0f);

    /// <summary><see cref="Grow(ReadOnlySpan{float}, float, Span{float}, Span{float})"/> over arrays already on this
    /// device.</summary>
    public long Grow(ArrayView<float> scores, float threshold, ArrayView<float> mask, ArrayView<float> weight) =>
        Apply(scores, threshold, mask, weight, 1f);

    long Apply(ArrayView<float> scores, float threshold, ArrayView<float> mask, ArrayView<float> weight, float value)
    {
        if (scores.Length != mask.Length || mask.Length != weight.Length)
            throw new ArgumentException($"arrays must have one length; got {scores.Length}, {mask.Length} and {weight.Length}");
        if (float.IsNaN(threshold)) throw new ArgumentException("threshold is NaN", nameof(threshold));
        if (scores.Length == 0) return 0;
        var count = _small.View.SubView(0, 1);
        count.MemSetToZero();
        _apply(Config(scores.Length), scores, threshold, mask, weight, value, count);
        _accelerator.Synchronize();
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
    public void PartialAreaScores(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ConvGeometry g,
        Span<float> scores)
    {
        if (input.Length != g.InputLength || kernel.Length != g.KernelLength || scores.Length != g.ScoreLength)
            throw new ArgumentException($"lengths {input.Length}/{kernel.Length}/{scores.Length} do not match the geometry {g}");
        if (scores.Length == 0) return;
        var i = Upload(0, input);
        var k = Upload(1, kernel);
        var s = Buffer(2, scores.Length);
        using var dims =
            _accelerator.Allocate1D(
                new[] { g.Batch, g.InChannels, g.Height, g.Width, g.OutChannels, g.Kernel, g.Stride, g.Padding });
        _partialArea(scores.Length, i, k, dims.View, s);
        s.CopyToCPU(scores);
    }

    /// <summary>A view of buffer <paramref name="slot"/> holding <paramref name="data"/>, growing the buffer when
    /// needed.</summary>
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
