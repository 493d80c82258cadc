using Nest.Runtime.Training;

namespace Nest.Runtime.Synthesis;

/// <summary>The phase a history entry belongs to.</summary>
public enum SynthesisPhase
{
    /// <summary>The trained seed.</summary>
    Seed,
    /// <summary>After a growth step and its training.</summary>
    Grow,
    /// <summary>The grown network after more training at the base rate, before pruning begins.</summary>
    Converge,
    /// <summary>After a pruning step and its retraining.</summary>
    Prune,
    /// <summary>The kept network, dead neurons removed, measured.</summary>
    Final,
}

/// <summary>One entry of the synthesis history (the paper's Fig. 12 is connections over these);
/// <see cref="Layers"/> is each layer's cost then.</summary>
public sealed record SynthesisStep(
    int Step,
    SynthesisPhase Phase,
    long Connections,
    long Parameters,
    long Flops,
    double ValidationError,
    int NeuronsAdded,
    int NeuronsRemoved,
    bool Accepted,
    double Seconds,
    double? TestError = null,
    IReadOnlyList<LayerCost>? Layers = null)
{
    /// <summary>The process's resident memory when the step was recorded (Linux; null elsewhere): memory across a run,
    /// step by step. Not part of what a resumed run must repeat.</summary>
    public long? ResidentBytes { get; init; }
}

/// <summary>Where synthesis stands, for a live view. <see cref="Notice"/> marks what a log should keep even without a
/// live view (a diverged training taken back and run again).</summary>
public sealed record SynthesisProgress(SynthesisPhase Phase, int Step, string Activity, SynthesisStep? Completed,
    bool Notice = false);
