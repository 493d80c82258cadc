using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Runtime.Tests.Seeds;

[SeedNetwork(Input = new[] { 1, 28, 28 }, Classes = 10)]
public sealed partial class LeNet5
{
    [Conv2d(20, Kernel = 5, Density = 0.3)] public partial MaskedConv2d Conv1 { get; }
    [MaxPool2d(2)]                          public partial MaxPool Pool1 { get; }
    [Conv2d(50, Kernel = 5, Density = 0.3)] public partial MaskedConv2d Conv2 { get; }
    [MaxPool2d(2)]                          public partial MaxPool Pool2 { get; }
    [Flatten]                               public partial Flatten Flat { get; }
    [Dense(500, Density = 0.1)]             public partial MaskedLinear Fc1 { get; }
    [Dense(10)]                             public partial MaskedLinear Logits { get; }
}
