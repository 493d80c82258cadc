namespace Nest.Runtime.Growth;

/// <summary>Checks the generated growth hooks make before they resize anything, so that a refused
/// request leaves the network untouched.</summary>
public static class GrowthGuard
{
    /// <summary>Throws unless <paramref name="count"/> more units fit in the layer.</summary>
    public static void CheckAdd(LayerDescription layer, long currentUnits, int count)
    {
        CheckResizable(layer);
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"Layer '{layer.Name}': the number of units to add must be positive.");
        if (layer.MaxWidth > 0 && currentUnits + count > layer.MaxWidth)
            throw new InvalidOperationException(
                $"Layer '{layer.Name}' has {currentUnits} units; adding {count} would exceed its MaxWidth of {layer.MaxWidth}.");
    }

    /// <summary>How many units growth adds at <paramref name="ratio"/> of the current width: at least one
    /// for a positive ratio, never past the layer's MaxWidth (so possibly none).</summary>
    public static int UnitsToAdd(LayerDescription layer, long currentUnits, double ratio)
    {
        var count = (long)Math.Ceiling(currentUnits * ratio);
        if (layer.MaxWidth > 0) count = Math.Min(count, layer.MaxWidth - currentUnits);
        return (int)Math.Max(0, count);
    }

    /// <summary>Throws unless removing <paramref name="count"/> units leaves at least one.</summary>
    public static void CheckRemove(LayerDescription layer, long currentUnits, int count)
    {
        CheckResizable(layer);
        if (count >= currentUnits)
            throw new InvalidOperationException(
                $"Layer '{layer.Name}' has {currentUnits} units; removing {count} would leave it empty.");
    }

    /// <summary>Throws unless the layer has weights and is not the output layer.</summary>
    public static void CheckResizable(LayerDescription layer)
    {
        if (!layer.HasWeights)
            throw new InvalidOperationException($"Layer '{layer.Name}' ({layer.Kind}) has no units to add or remove.");
        if (layer.IsOutput)
            throw new InvalidOperationException(
                $"Layer '{layer.Name}' is the output layer; its width is the class count and cannot change.");
    }

    /// <summary>For the generated <c>MaskedLayerAt</c>: null for an existing layer without weights.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not a layer of the seed.</exception>
    public static MaskedLayer? NoWeights(SeedTopology topology, int layerIndex)
    {
        CheckIndex(topology, layerIndex);
        return null;
    }

    /// <summary>For the generated dispatch: always throws, explaining why the layer cannot be resized.</summary>
    public static void Refuse(SeedTopology topology, int layerIndex)
    {
        CheckIndex(topology, layerIndex);
        CheckResizable(topology.Layers[layerIndex]);
        throw new InvalidOperationException($"Layer '{topology.Layers[layerIndex].Name}' has no consumer layer to resize.");
    }

    static void CheckIndex(SeedTopology topology, int layerIndex)
    {
        if (layerIndex < 0 || layerIndex >= topology.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex,
                $"Seed '{topology.Name}' has {topology.Layers.Count} layers (indices 0 to {topology.Layers.Count - 1}).");
    }
}
