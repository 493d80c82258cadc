using Nest.Dsl;

namespace Nest.Runtime.Export;

/// <summary>
/// Inference of a dense-layer <see cref="CompactModel"/> (flatten, dense layers, activations) from its live connections
/// alone, in compressed sparse rows: each output sums its own live inputs, so the work is the live multiply-accumulates
/// (6.3K per image for the 40.5x LeNet-300-100) rather than the matrices' (137K as exported). Dense inference engines
/// multiply the zeros too; this is what the sparsity is worth at inference. Convolutions are not supported.
/// </summary>
public sealed class SparseInference
{
    sealed record Layer(int Inputs, int Outputs, int[] RowStart, int[] Columns, float[] Values, float[] Bias, Activation Activation);

    readonly Layer[] _layers;

    /// <summary>Multiply-accumulates per example: the live connections.</summary>
    public long MultiplyAccumulates => _layers.Sum(l => (long)l.Values.Length);

    /// <summary>Values per example in and out.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <inheritdoc cref="Inputs"/>
    public int Outputs => _layers[^1].Outputs;

    /// <exception cref="NotSupportedException">The model has a convolution or pooling layer (the message names it).</exception>
    public SparseInference(CompactModel model)
    {
        var layers = new List<Layer>();
        foreach (var layer in model.Layers)
        {
            if (layer.Kind == LayerKind.Flatten) continue;
            if (layer.Kind != LayerKind.Dense)
                throw new NotSupportedException($"Layer '{layer.Name}' is a {layer.Kind}: sparse inference covers dense layers only.");
            int outputs = (int)layer.WeightShape![0], columns = (int)layer.WeightShape[1], inputs = (int)layer.InputShape[0];
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
            layers.Add(new Layer(inputs, outputs, rowStart, [.. indices], [.. values], layer.Bias ?? new float[outputs], layer.Activation));
        }
        if (layers.Count == 0) throw new NotSupportedException($"'{model.Seed}' has no dense layer.");
        _layers = [.. layers];
    }

    /// <summary>Logits of <paramref name="batch"/> examples laid out one after another in <paramref name="input"/>.</summary>
    public float[] Run(ReadOnlySpan<float> input, int batch)
    {
        if (input.Length != batch * Inputs) throw new ArgumentException($"Expected {batch} x {Inputs} values, got {input.Length}.", nameof(input));
        var width = _layers.Max(l => Math.Max(l.Inputs, l.Outputs));
        var (a, b) = (new float[width], new float[width]);
        var output = new float[batch * Outputs];
        for (int n = 0; n < batch; n++)
        {
            input.Slice(n * Inputs, Inputs).CopyTo(a);
            foreach (var layer in _layers)
            {
                Forward(layer, a, b);
                (a, b) = (b, a);
            }
            a.AsSpan(0, Outputs).CopyTo(output.AsSpan(n * Outputs));
        }
        return output;
    }

    static void Forward(Layer layer, float[] x, float[] y)
    {
        var (rowStart, columns, values) = (layer.RowStart, layer.Columns, layer.Values);
        for (int o = 0; o < layer.Outputs; o++)
        {
            var sum = layer.Bias[o];
            for (int k = rowStart[o]; k < rowStart[o + 1]; k++) sum += values[k] * x[columns[k]];
            y[o] = layer.Activation switch
            {
                Activation.Relu => Math.Max(0f, sum),
                Activation.Tanh => MathF.Tanh(sum),
                Activation.Sigmoid => 1f / (1f + MathF.Exp(-sum)),
                Activation.LeakyRelu => sum > 0 ? sum : 0.01f * sum,
                _ => sum,
            };
        }
    }
}
