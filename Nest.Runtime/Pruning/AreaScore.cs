namespace Nest.Runtime.Pruning;

/// <summary>How partial-area pruning ranks a convolution's live area positions (<see
/// cref="PartialAreaPruning"/>).</summary>
public enum AreaScore
{
    /// <summary>Mean |input map * kernel| there: the size of what the position adds.</summary>
    Contribution,

    /// <summary>Mean |contribution x loss gradient of the output| there: what masking it would change in the loss, to
    /// first order.</summary>
    Taylor,
}
