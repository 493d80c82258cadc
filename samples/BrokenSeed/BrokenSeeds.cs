using Nest.Dsl;
using Nest.Runtime;

namespace BrokenSeed;

// Each marked line has a mistake the Nest generator catches at compile time.
[SeedNetwork(Input = new[] { 1, 28, 28 }, Classes = 10)]
public sealed partial class BrokenLeNet5
{
    [Conv2d(20, Kernel = 5, Density = 1.5)] public partial MaskedConv2d Conv1 { get; }   // NEST0004
    [MaxPool2d(2)]                          public partial MaxPool Pool1 { get; }
    [Conv2d(50, Kernel = 13)]               public partial MaskedConv2d Conv2 { get; }   // NEST0005
    [Dense(500, MaxWidth = 100)]            public partial MaskedLinear Fc1 { get; }     // NEST0013
    [Dense(10)]                             public partial MaskedLinear Logits { get; }
}

[SeedNetwork(Input = new[] { 784 }, Classes = 10)]
public sealed partial class BrokenLeNet300
{
    [Dense(300, WidthScale = -1)] public partial MaskedLinear Fc1 { get; }               // NEST0012
    [Dense(100)]                  public partial MaskedLinear Fc2 { get; }
    [Dense(12)]                   public partial MaskedLinear Logits { get; }            // NEST0008
}

[SeedNetwork(Input = new[] { 784 }, Classes = 10)]
public sealed class NotPartial                                                           // NEST0001
{
}
