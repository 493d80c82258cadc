namespace Nest.Runtime.Growth;

/// <summary>One way of growing a network (connections, neurons, feature maps), swappable by the user.</summary>
public interface IGrowthPolicy
{
    /// <summary>A short name for reports, e.g. "connections".</summary>
    string Name { get; }

    /// <summary>Grows <paramref name="context"/>'s network once; returns what changed, for the history.</summary>
    GrowthOutcome Grow(GrowthContext context);
}

/// <summary>What a growth policy did: connections switched on and neurons added.</summary>
public sealed record GrowthOutcome(long ConnectionsAdded, int NeuronsAdded);
