using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>
/// A term the trainer adds to each batch's loss, with parameters of its own that the optimizer trains
/// beside the model's (a regularizer over a weight distribution, such as sparse variational dropout's).
/// </summary>
public interface ILossTerm
{
    /// <summary>Parameters outside the model that the loss term trains.</summary>
    IEnumerable<Parameter> Parameters { get; }

    /// <summary>The term for one batch; <paramref name="progress"/> runs from 0 at the first batch of the
    /// training to 1 at its end (for warm-ups).</summary>
    Tensor Loss(double progress);
}
