namespace Nest.Runtime.Export;

/// <summary>
/// A dense layer's live connections by output row, padded to the longest row (ELLPACK): <see cref="Index"/> holds
/// each row's input columns (of the layer's own input, before any gather), <see cref="Values"/> their weights; a
/// padding slot reads the row's first column with weight 0, so it adds exactly nothing.
/// </summary>
public sealed record SparseRows(int Outputs, int Width, long[] Index, float[] Values)
{
    /// <summary>The layer by rows, or null when its rows would cover half its matrix or more (a Gemm is then cheaper).</summary>
    public static SparseRows? Of(CompactLayer layer)
    {
        if (layer.Kind != LayerKind.Dense || layer.Weight is null) return null;
        int outputs = (int)layer.WeightShape![0], columns = (int)layer.WeightShape[1];
        var rows = Enumerable.Range(0, outputs).Select(o => Enumerable.Range(0, columns).Where(c => layer.Weight[o * columns + c] != 0).ToArray()).ToArray();
        var width = Math.Max(1, rows.Max(r => r.Length));
        if ((long)width * 2 > columns) return null;
        var index = new long[outputs * width];
        var values = new float[outputs * width];
        for (int o = 0; o < outputs; o++)
            for (int k = 0; k < width; k++)
            {
                var column = k < rows[o].Length ? rows[o][k] : rows[o].Length > 0 ? rows[o][0] : 0;
                index[o * width + k] = layer.InputIndex is { } gather ? gather[column] : column;
                values[o * width + k] = k < rows[o].Length ? layer.Weight[o * columns + column] : 0f;
            }
        return new SparseRows(outputs, width, index, values);
    }
}
