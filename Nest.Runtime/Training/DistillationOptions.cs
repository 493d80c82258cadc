namespace Nest.Runtime.Training;

/// <summary>Knowledge distillation from the converged network during pruning and the final fine-tuning
/// (<see cref="Distillation"/>; see <see cref="Synthesis.SynthesisSchedule.Distillation"/>).</summary>
public sealed record DistillationOptions
{
    /// <summary>The share of the loss that follows the teacher's outputs. 0: off, plain cross-entropy.</summary>
    public double Weight { get; init; } = 0.5;

    /// <summary>The temperature that softens the teacher's outputs.</summary>
    public double Temperature { get; init; } = 4;


    /// <summary>Throws with the field's name when a value cannot work.</summary>
    public void Validate()
    {
        Refuse.When(Weight is < 0 or > 1 || double.IsNaN(Weight), nameof(Weight), Weight, "must be in [0, 1]");
        Refuse.When(!(Temperature >= 1) || double.IsInfinity(Temperature),
            nameof(Temperature), Temperature, "must be at least 1");
    }
}
