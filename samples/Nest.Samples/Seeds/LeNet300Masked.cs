using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Samples.Seeds;

/// <summary>
/// LeNet-300-100 at full width with 10% of its connections live: the masked network the training
/// speed benchmark compares with dense LeNet-300-100 in PyTorch (masked training computes the full
/// matrix products, so this is the honest worst case for masks).
/// </summary>
[SeedNetwork(Input = new[] { 784 }, Classes = 10)]
public sealed partial class LeNet300Masked
{
    [Dense(300, Density = 0.1)] public partial MaskedLinear Fc1 { get; }
    [Dense(100, Density = 0.1)] public partial MaskedLinear Fc2 { get; }
    [Dense(10, Density = 0.1)]  public partial MaskedLinear Logits { get; }
}
