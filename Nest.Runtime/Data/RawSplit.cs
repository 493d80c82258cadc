using TorchSharp;
using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>
/// One split (train or test) as a reader found it, before scaling: the examples' values on their file's own scale (IDX
/// and image bytes divided by 255, CSV numbers as written) and the labels. Bytes stay bytes until the tensor is made,
/// so an IDX set is scaled exactly as it always was.
/// </summary>
internal sealed class RawSplit
{
    RawSplit(string path, long[] sampleShape, int[] labels, byte[]? bytes, float[]? floats)
    {
        (Path, SampleShape, Labels, _bytes, _floats) = (path, sampleShape, labels, bytes, floats);
    }

    readonly byte[]? _bytes;
    readonly float[]? _floats;

    /// <summary>The file or folder it was read from, for messages.</summary>
    public string Path { get; }
    /// <summary>The shape of one example.</summary>
    public long[] SampleShape { get; }
    /// <summary>One class index per example.</summary>
    public int[] Labels { get; }
    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;
    /// <summary>Values in one example.</summary>
    public long SampleSize => SampleShape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Bytes read as value / 255 (IDX files, images).</summary>
    public static RawSplit FromBytes(string path, long[] sampleShape, byte[] values, int[] labels) =>
        new(path, sampleShape, labels, values, null);

    /// <summary>Numbers as they are (CSV).</summary>
    public static RawSplit FromFloats(string path, long[] sampleShape, float[] values, int[] labels) =>
        new(path, sampleShape, labels, null, values);

    /// <summary>The value at flat index <paramref name="i"/>, on the 0..1 scale for bytes.</summary>
    public double Value(long i) => _bytes is { } b ? b[i] / 255.0 : _floats![i];

    /// <summary>The examples as float32 <c>[N, sample shape]</c>, less <paramref name="mean"/>, over <paramref
    /// name="std"/>.</summary>
    public Tensor Examples(float mean, float std)
    {
        var shape = new[] { (long)Count }.Concat(SampleShape).ToArray();
        // Scalars held until the calls return (see Scalars).
        using Scalar byteRange = 255f.ToScalar(), shift = mean.ToScalar(), scale = std.ToScalar();
        var raw = _bytes is { } b
            ? tensor(b, shape).to_type(ScalarType.Float32).div_(byteRange)
            : tensor(_floats!, shape);
        return raw.sub_(shift).div_(scale);
    }

    /// <summary>The labels as int64 <c>[N]</c>.</summary>
    public Tensor LabelTensor() => tensor(Labels.Select(l => (long)l).ToArray());
}
