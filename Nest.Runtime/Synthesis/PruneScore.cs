namespace Nest.Runtime.Synthesis;

/// <summary>How a pruning step ranks live connections (<see cref="SynthesisSchedule.PruneScore"/>).</summary>
public enum PruneScore
{
    /// <summary>|w|: the smallest weights go first.</summary>
    Magnitude,

    /// <summary>|w| sqrt(F), F the weight's diagonal empirical Fisher information (<see cref="Pruning.FisherSaliency"/>).</summary>
    Fisher,
}
