using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// A network's trained state held as plain arrays (unlike <see cref="NetworkSnapshot"/>, which holds tensors and
/// needs the shapes unchanged): each masked layer's width, weight_orig, weight_mask, bias and area mask. It can be
/// written to a stream and applied to a fresh instance of the same seed, which it first resizes (units added by
/// growth, removed by pruning), so a checkpoint restores a network of any shape the synthesis gave it.
/// </summary>
public sealed class NetworkState
{
    /// <summary>One masked layer: its topology index, weight shape and values, mask, bias and area mask (null when
    /// off).</summary>
    public sealed record Layer(int Index, long[] Shape, float[] Weight, float[] Mask, float[]? Bias, long[]? AreaShape,
        float[]? Area, bool AreaPerPair);

    /// <summary>The seed's name (its topology's), to refuse a state of another seed.</summary>
    public string Seed { get; }

    /// <summary>The masked layers, in topology order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    NetworkState(string seed, IReadOnlyList<Layer> layers) => (Seed, Layers) = (seed, layers);

    /// <summary>Copies the network's masked layers now.</summary> <exception cref="InvalidOperationException">A weight
    /// or bias is NaN or infinite (the layer is named): such a network is never saved, as a checkpoint or a
    /// model.</exception>
    public static NetworkState Capture(ISeedNetwork network)
    {
        var layers = new List<Layer>();
        foreach (var description in network.Topology.Layers.Where(l => l.HasWeights))
        {
            var layer = network.MaskedLayerAt(description.Index)!;
            var area = (layer as MaskedConv2d)?.area_mask;
            var saved =
                new Layer(description.Index, layer.weight_orig.shape, Floats(layer.weight_orig),
                    Floats(layer.weight_mask),
                layer.bias is null ? null : Floats(layer.bias), area?.shape, area is null ? null : Floats(area),
                    (layer as MaskedConv2d)?.AreaMaskPerPair ?? false);
            if (!saved.Weight.All(float.IsFinite) || !(saved.Bias?.All(float.IsFinite) ?? true))
                throw new InvalidOperationException(
                    $"Layer '{description.Name}' holds a NaN or an infinity; it is not saved.");
            layers.Add(saved);
        }
        return new NetworkState(network.Topology.Name, layers);
    }

    /// <summary>Makes <paramref name="network"/>, an instance of the same seed, into this state: hidden layers
    /// resized to the saved widths, then weights, masks, biases and area masks copied.</summary>
    /// <exception cref="InvalidOperationException">The network is of another seed, or a layer's shape still differs
    /// after resizing (the state belongs to another declaration of the seed).</exception>
    public void ApplyTo(ISeedNetwork network)
    {
        if (network.Topology.Name != Seed)
            throw new InvalidOperationException(
                $"The state is of seed '{Seed}', the network a '{network.Topology.Name}'.");
        Check(network);
        foreach (var saved in Layers.Where(l => !network.Topology.Layers[l.Index].IsOutput))
        {
            var width = network.MaskedLayerAt(saved.Index)!.OutputUnits;
            if (saved.Shape[0] > width) network.AddUnits(saved.Index, (int)(saved.Shape[0] - width));
            else if (saved.Shape[0] < width) network.RemoveUnits(saved.Index,
                Enumerable.Range((int)saved.Shape[0], (int)(width - saved.Shape[0])).Select(u => (long)u).ToArray());
        }
        using var _ = no_grad();
        foreach (var saved in Layers)
        {
            var layer = network.MaskedLayerAt(saved.Index)
                ?? throw new InvalidOperationException(
                    $"Layer {saved.Index} of seed '{Seed}' has no weights in the network.");
            if (!layer.weight_orig.shape.SequenceEqual(saved.Shape))
                throw new InvalidOperationException(
                    $"Layer '{layer.GetName()}' is {string.Join('x', layer.weight_orig.shape)}, not " +
                    $"{string.Join('x', saved.Shape)} as saved.");
            using (var weight = tensor(saved.Weight, saved.Shape)) layer.weight_orig.copy_(weight);
            using (var mask = tensor(saved.Mask, saved.Shape)) layer.weight_mask.copy_(mask);
            if (saved.Bias is not null && layer.bias is not null)
                using (var bias = tensor(saved.Bias, new long[] { saved.Bias.Length })) layer.bias.copy_(bias);
            if (layer is MaskedConv2d conv)
            {
                using var area = saved.Area is null ? null : tensor(saved.Area, saved.AreaShape!);
                conv.SetAreaMask(area, saved.AreaPerPair);
            }
        }
    }

    // Everything a file could hold that the network cannot take, found before anything is resized or copied (a layer
    // index out of range, a layer without weights, a shape of another rank, a bias of another length), so that a
    // damaged or foreign state is a clear error and never reaches LibTorch.
    void Check(ISeedNetwork network)
    {
        var layers = network.Topology.Layers;
        foreach (var saved in Layers)
        {
            if (saved.Index < 0 || saved.Index >= layers.Count || !layers[saved.Index].HasWeights)
                throw new InvalidOperationException(
                    $"Saved layer {saved.Index} is not a layer with weights of seed '{Seed}' ({layers.Count} layers).");
            var rank = network.MaskedLayerAt(saved.Index)!.weight_orig.dim();
            if (saved.Shape.Length != rank || saved.Shape.Any(d => d <= 0))
                throw new InvalidOperationException(
                    $"Layer '{layers[saved.Index].Name}': saved shape [{string.Join(", ", saved.Shape)}] is not a " +
                    $"shape of rank {rank}.");
            if (saved.Bias is { } bias && bias.Length != saved.Shape[0])
                throw new InvalidOperationException(
                    $"Layer '{layers[saved.Index].Name}': {bias.Length} saved biases for {saved.Shape[0]} units.");
        }
        if (Layers.GroupBy(l => l.Index).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidOperationException($"Layer {twice.Key} is saved twice.");
    }

    /// <summary>Writes the state (little-endian, lengths first).</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Seed);
        writer.Write(Layers.Count);
        foreach (var layer in Layers)
        {
            writer.Write(layer.Index);
            WriteLongs(writer, layer.Shape);
            WriteFloats(writer, layer.Weight);
            WriteFloats(writer, layer.Mask);
            writer.Write(layer.Bias is not null);
            if (layer.Bias is not null) WriteFloats(writer, layer.Bias);
            writer.Write(layer.Area is not null);
            if (layer.Area is not null)
            {
                WriteLongs(writer, layer.AreaShape!);
                WriteFloats(writer, layer.Area);
            }
            writer.Write(layer.AreaPerPair);
        }
    }

    /// <summary>Reads a state written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">A length or shape that cannot be right (a damaged file).</exception>
    public static NetworkState Read(BinaryReader reader)
    {
        var seed = reader.ReadString();
        var count = Count(reader.ReadInt32(), 1 << 16, "layer count");
        var layers = new List<Layer>(count);
        for (int i = 0; i < count; i++)
        {
            var index = reader.ReadInt32();
            var shape = ReadLongs(reader);
            var weight = ReadFloats(reader);
            var mask = ReadFloats(reader);
            var bias = reader.ReadBoolean() ? ReadFloats(reader) : null;
            long[]? areaShape = null;
            float[]? area = null;
            if (reader.ReadBoolean())
            {
                areaShape = ReadLongs(reader);
                area = ReadFloats(reader);
            }
            var perPair = reader.ReadBoolean();
            if (weight.Length != shape.Aggregate(1L, (a, b) => a * b) || mask.Length != weight.Length
                || (area is not null && area.Length != areaShape!.Aggregate(1L, (a, b) => a * b)))
                throw new InvalidDataException($"Layer {index}: the saved values do not fill the saved shape.");
            layers.Add(new Layer(index, shape, weight, mask, bias, areaShape, area, perPair));
        }
        return new NetworkState(seed, layers);
    }

    static float[] Floats(Tensor t)
    {
        using var cpu = t.detach().to(CPU).contiguous();
        return cpu.data<float>().ToArray();
    }

    static void WriteLongs(BinaryWriter writer, long[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    static long[] ReadLongs(BinaryReader reader)
    {
        var values = new long[Count(reader.ReadInt32(), 8, "shape rank")];
        for (int i = 0; i < values.Length; i++) values[i] = reader.ReadInt64();
        return values;
    }

    static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[Count(reader.ReadInt32(), 1 << 28, "value count")];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        for (int read = 0, n; read < bytes.Length; read += n)
            if ((n = reader.Read(bytes[read..])) == 0) throw new EndOfStreamException("The values end early.");
        return values;
    }

    static int Count(int value, int max, string what) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"A {what} of {value} cannot be right.");
}
