namespace Nest.Runtime.Pruning;

/// <summary>One way of pruning a network, swappable by the user.</summary>
public interface IPruningPolicy
{
    /// <summary>A short name for reports, e.g. "connections".</summary>
    string Name { get; }

    /// <summary>Prunes once; returns the connections and neurons removed.</summary>
    PruningOutcome Prune(ISeedNetwork network, Kernels.IMaskKernels kernels);
}

/// <summary>What a pruning policy removed: connections (weights), neurons or feature maps, and the
/// convolution area positions that partial-area pruning masked.</summary>
public sealed record PruningOutcome(long ConnectionsRemoved, int NeuronsRemoved, long AreaPositionsRemoved = 0);
