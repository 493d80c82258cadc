namespace Nest.Runtime;

/// <summary>
/// What every generated seed module offers the synthesis engine: its topology, its masked layers and
/// growth hooks that resize a layer together with its consumer (through a flatten too), without
/// reflection or string lookups.
/// </summary>
public interface ISeedNetwork
{
    /// <summary>The compile-time description of the seed.</summary>
    SeedTopology Topology { get; }

    /// <summary>Whether this instance is the dense reference (declared widths, every connection live)
    /// rather than the sparse seed the topology's seed figures describe.</summary>
    bool IsDenseReference { get; }

    /// <summary>The masked layer at a topology index, or null for layers without weights.</summary>
    MaskedLayer? MaskedLayerAt(int layerIndex);

    /// <summary>Adds <paramref name="count"/> neurons or feature maps to a hidden layer with weights; the new units and
    /// their connections start dormant.</summary> <exception cref="InvalidOperationException">The layer has no weights,
    /// is the output layer, or would exceed its MaxWidth.</exception>
    void AddUnits(int layerIndex, int count);

    /// <summary>Removes the given neurons or feature maps (by current index) from a hidden layer with weights, and
    /// their inputs from the consumer layer.</summary> <exception cref="InvalidOperationException">The layer has no
    /// weights, is the output layer, or would be left empty.</exception>
    void RemoveUnits(int layerIndex, IReadOnlyCollection<long> units);
}
