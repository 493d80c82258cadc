namespace Nest.Runtime.Synthesis;

/// <summary>The last milestone a synthesis passed, in order (see <see cref="SynthesisPosition"/>).</summary>
public enum SynthesisStage
{
    /// <summary>Nothing done yet.</summary>
    Started,
    /// <summary>The seed is trained; growth steps may have run (<see cref="SynthesisPosition.GrowthSteps"/>).</summary>
    Seeded,
    /// <summary>Growth has ended.</summary>
    Grown,
    /// <summary>The grown network is trained further; the pruning target is fixed.</summary>
    Converged,
    /// <summary>The variational step (when on) is settled; magnitude pruning steps may have run.</summary>
    Sparsified,
    /// <summary>Magnitude pruning has ended; area-only tail steps may have run.</summary>
    Pruned,
}

/// <summary>
/// Where a synthesis stands between two steps: the stage and every counter its loops carry (the pruning
/// fraction as halved and doubled, the streak of kept steps, ...). A checkpoint holds it, so a resumed run
/// enters each loop where the interrupted one left it and takes the same decisions.
/// </summary>
public sealed class SynthesisPosition
{
    /// <summary>The last milestone passed.</summary>
    public SynthesisStage Stage { get; set; }

    /// <summary>The base learning rate the run trains at, as the rate check found it (0 before the check).</summary>
    public double LearningRate { get; set; }

    /// <summary>Why growth ended (null while it goes on).</summary>
    public string? GrowthStop { get; set; }

    /// <summary>Why connection pruning ended (null while it goes on).</summary>
    public string? PruneStop { get; set; }

    /// <summary>Growth steps taken.</summary>
    public int GrowthSteps { get; set; }

    /// <summary>Magnitude pruning steps taken (kept and undone).</summary>
    public int PruneSteps { get; set; }

    /// <summary>The next pruning step's fraction, before the late ceiling.</summary>
    public double Fraction { get; set; }

    /// <summary>Kept pruning steps in a row since the fraction last changed.</summary>
    public int Streak { get; set; }

    /// <summary>Parameters of the last kept network, for the compression that sets the ceiling and the stop.</summary>
    public long KeptParameters { get; set; }

    /// <summary>Whether magnitude pruning reached its stop (<see
    /// cref="Pruning.PruningOptions.StopAtCompression"/>).</summary>
    public bool PruneEnded { get; set; }

    /// <summary>Area-only tail steps taken.</summary>
    public int TailSteps { get; set; }

    /// <summary>The next tail step's area fraction.</summary>
    public double AreaFraction { get; set; }

    /// <summary>Kept tail steps in a row since the area fraction last changed.</summary>
    public int TailStreak { get; set; }
}
