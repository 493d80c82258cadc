using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>Dropout while training, identity in evaluation mode.</summary>
public sealed class Dropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates a dropout layer with drop probability <paramref name="probability"/> in [0, 1).</summary>
    public Dropout(double probability) : base(nameof(Dropout))
    {
        Probability = probability is >= 0 and < 1
            ? probability
            : throw new ArgumentOutOfRangeException(nameof(probability), probability, "must be in [0, 1)");
    }

    /// <summary>Probability of zeroing an activation.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => nn.functional.dropout(input, Probability, training);
}
