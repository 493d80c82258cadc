using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Samples.Seeds;

/// <summary>
/// A perceptron nobody tuned the defaults for (784-500-150-10, as in the PyTorch peer's <c>--hidden 500,150</c>): the
/// reference widths scaled by r = 0.4, hidden layers 10% dense, growth bounded at the reference widths.
/// </summary>
[SeedNetwork(Input = new[] { 784 }, Classes = 10, WidthScale = 0.4)]
public sealed partial class Mlp500
{
    [Dense(500, Density = 0.1, MaxWidth = 500)] public partial MaskedLinear Fc1 { get; }
    [Dense(150, Density = 0.1, MaxWidth = 150)] public partial MaskedLinear Fc2 { get; }
    [Dense(10, Density = 0.5)]                  public partial MaskedLinear Logits { get; }
}
