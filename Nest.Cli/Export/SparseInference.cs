using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nest.Dsl;
using Nest.Runtime;
using Nest.Runtime.Export;

namespace Nest.Cli;

/// <summary> Inference of a dense-layer <see cref="CompactModel"/> (flatten, dense layers, activations) from its live
/// connections alone, in compressed sparse rows: each output sums its own live inputs, so the work is the live
/// multiply-accumulates (6.3K per image for the 40.5x LeNet-300-100) rather than the matrices' (152K as exported):
/// measured 2.7-2.9 us at batch 1 against 15-22 us for its dense reference in ONNX Runtime (docs/export.md). Dense
/// inference engines multiply the zeros too; this is what the sparsity is worth at inference. One example runs row by
/// row; a batch runs transposed (examples along the inner dimension), so each live connection is one vector
/// multiply-add across the batch. Convolutions are not supported. </summary>
public sealed class SparseInference
{
    sealed record Layer(int Inputs, int Outputs, int[] RowStart, int[] Columns, float[] Values, float[] Bias,
        Activation Activation);

    readonly Layer[] _layers;
    readonly int _width;

    /// <summary>Multiply-accumulates per example: the live connections.</summary>
    public long MultiplyAccumulates => _layers.Sum(l => (long)l.Values.Length);

    /// <summary>Values per example in and out.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <inheritdoc cref="Inputs"/>
    public int Outputs => _layers[^1].Outputs;

    /// <exception cref="NotSupportedException">The model has a convolution or pooling layer (the message names
    /// it).</exception>
    public SparseInference(CompactModel model)
    {
        var layers = new List<Layer>();
        foreach (var layer in model.Layers)
        {
            if (layer.Kind == LayerKind.Flatten) continue;
            if (layer.Kind != LayerKind.Dense)
                throw new NotSupportedException($"Layer '{layer.Name}' is a {layer.Kind}: sparse inference covers dense layers only.");
            int outputs = (int)layer.WeightShape![0], columns = (int)layer.WeightShape[1], inputs =
                (int)layer.InputShape[0];
            var rowStart = new int[outputs + 1];
            var (indices, values) = (new List<int>(), new List<float>());
            for (int o = 0; o < outputs; o++)
            {
                for (int c = 0; c < columns; c++)
                {
                    var w = layer.Weight![o * columns + c];
                    if (w == 0) continue;
                    // The gather folds into the column index: the row reads the layer's own input directly.
                    indices.Add(layer.InputIndex is { } gather ? (int)gather[c] : c);
                    values.Add(w);
                }
                rowStart[o + 1] = indices.Count;
            }
            layers.Add(
                new Layer(inputs, outputs, rowStart, [.. indices], [.. values], layer.Bias ?? new float[outputs],
                layer.Activation));
        }
        if (layers.Count == 0) throw new NotSupportedException($"'{model.Seed}' has no dense layer.");
        _layers = [.. layers];
        _width = _layers.Max(l => Math.Max(l.Inputs, l.Outputs));
    }

    /// <summary>Logits of <paramref name="batch"/> examples laid out one after another in <paramref
    /// name="input"/>.</summary>
    public float[] Run(ReadOnlySpan<float> input, int batch)
    {
        if (input.Length != batch * Inputs)
            throw new ArgumentException($"Expected {batch} x {Inputs} values, got {input.Length}.", nameof(input));
        return batch == 1 ? RunOne(input) : RunBatch(input, batch);
    }

    // Pooled buffers: at batch 1 the allocation of two activations' arrays was a fifth of the call.
    float[] RunOne(ReadOnlySpan<float> input)
    {
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var (a, b) = (pool.Rent(_width), pool.Rent(_width));
        try
        {
            input.CopyTo(a);
            foreach (var layer in _layers)
            {
                ForwardOne(layer, a, b);
                (a, b) = (b, a);
            }
            return a.AsSpan(0, Outputs).ToArray();
        }
        finally
        {
            pool.Return(a);
            pool.Return(b);
        }
    }

    // One example: each output row sums its live inputs, eight at a time with AVX2's gather where the CPU has it,
    // else with four scalar partial sums so the gathered loads overlap.
    static void ForwardOne(Layer layer, float[] x, float[] y)
    {
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            ForwardOneAvx2(layer, x, y);
            return;
        }
        ref var values = ref MemoryMarshal.GetArrayDataReference(layer.Values);
        ref var columns = ref MemoryMarshal.GetArrayDataReference(layer.Columns);
        ref var input = ref MemoryMarshal.GetArrayDataReference(x);
        for (int o = 0; o < layer.Outputs; o++)
        {
            int k = layer.RowStart[o], end = layer.RowStart[o + 1];
            float s0 = layer.Bias[o], s1 = 0, s2 = 0, s3 = 0;
            for (; k + 4 <= end; k += 4)
            {
                s0 += Unsafe.Add(ref values, k) * Unsafe.Add(ref input, Unsafe.Add(ref columns, k));
                s1 += Unsafe.Add(ref values, k + 1) * Unsafe.Add(ref input, Unsafe.Add(ref columns, k + 1));
                s2 += Unsafe.Add(ref values, k + 2) * Unsafe.Add(ref input, Unsafe.Add(ref columns, k + 2));
                s3 += Unsafe.Add(ref values, k + 3) * Unsafe.Add(ref input, Unsafe.Add(ref columns, k + 3));
            }
            for (; k < end; k++) s0 += Unsafe.Add(ref values, k) * Unsafe.Add(ref input, Unsafe.Add(ref columns, k));
            y[o] = Activate(layer.Activation, s0 + s1 + s2 + s3);
        }
    }

    static unsafe void ForwardOneAvx2(Layer layer, float[] x, float[] y)
    {
        fixed (float* input = x, values = layer.Values)
        fixed (int* columns = layer.Columns)
        {
            for (int o = 0; o < layer.Outputs; o++)
            {
                int k = layer.RowStart[o], end = layer.RowStart[o + 1];
                var sums = Vector256<float>.Zero;
                for (; k + 8 <= end; k += 8)
                    sums = Fma.MultiplyAdd(Avx.LoadVector256(values + k),
                        Avx2.GatherVector256(input, Avx.LoadVector256(columns + k), 4), sums);
                var sum = layer.Bias[o] + Vector256.Sum(sums);
                for (; k < end; k++) sum += values[k] * input[columns[k]];
                y[o] = Activate(layer.Activation, sum);
            }
        }
    }

    float[] RunBatch(ReadOnlySpan<float> input, int batch)
    {
        // x[i, n]: input i of example n, so a connection's input for the whole batch is one contiguous row.
        var x = new float[Inputs * batch];
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < Inputs; i++) x[i * batch + n] = input[n * Inputs + i];
        foreach (var layer in _layers)
        {
            var y = new float[layer.Outputs * batch];
            for (int o = 0; o < layer.Outputs; o++)
            {
                var row = y.AsSpan(o * batch, batch);
                row.Fill(layer.Bias[o]);
                for (int k = layer.RowStart[o]; k < layer.RowStart[o + 1]; k++)
                    TensorPrimitives.MultiplyAdd(x.AsSpan(layer.Columns[k] * batch, batch), layer.Values[k], row, row);
                switch (layer.Activation)
                {
                    case Activation.Relu: TensorPrimitives.Max(row, 0f, row); break;
                    case Activation.Tanh: TensorPrimitives.Tanh(row, row); break;
                    case Activation.Sigmoid: TensorPrimitives.Sigmoid(row, row); break;
                    case Activation.LeakyRelu: foreach (ref var v in row) v = v > 0 ? v : 0.01f * v; break;
                }
            }
            x = y;
        }
        var output = new float[batch * Outputs];
        for (int o = 0; o < Outputs; o++)
            for (int n = 0; n < batch; n++) output[n * Outputs + o] = x[o * batch + n];
        return output;
    }

    static float Activate(Activation activation, float sum) => activation switch
    {
        Activation.Relu => Math.Max(0f, sum),
        Activation.Tanh => MathF.Tanh(sum),
        Activation.Sigmoid => 1f / (1f + MathF.Exp(-sum)),
        Activation.LeakyRelu => sum > 0 ? sum : 0.01f * sum,
        _ => sum,
    };
}
