using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Runtime.Tests.Seeds;

[SeedNetwork(Input = new[] { 784 }, Classes = 10, WidthScale = 0.4)]
public sealed partial class LeNet300
{
    [Dense(300, Density = 0.1, MaxWidth = 300)] public partial MaskedLinear Fc1 { get; }
    [Dense(100, Density = 0.1, MaxWidth = 100)] public partial MaskedLinear Fc2 { get; }
    [Dense(10, Density = 0.5)]                  public partial MaskedLinear Logits { get; }
}
