using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Samples.Seeds;

/// <summary>
/// A convolutional seed nobody tuned the defaults for: three 3x3 convolutions (16-32-64 feature maps in the reference,
/// as a user might first write one) and a 128-unit dense layer, the reference widths scaled by r = 0.5, convolutions
/// 30% and the dense layer 10% dense, growth bounded at the reference widths.
/// </summary>
[SeedNetwork(Input = new[] { 1, 28, 28 }, Classes = 10, WidthScale = 0.5)]
public sealed partial class ThreeConv
{
    [Conv2d(16, Kernel = 3, Density = 0.3, MaxWidth = 16)] public partial MaskedConv2d Conv1 { get; }
    [MaxPool2d(2)]                                          public partial MaxPool Pool1 { get; }
    [Conv2d(32, Kernel = 3, Density = 0.3, MaxWidth = 32)] public partial MaskedConv2d Conv2 { get; }
    [Conv2d(64, Kernel = 3, Density = 0.3, MaxWidth = 64)] public partial MaskedConv2d Conv3 { get; }
    [MaxPool2d(2)]                                          public partial MaxPool Pool2 { get; }
    [Flatten]                                               public partial Flatten Flat { get; }
    [Dense(128, Density = 0.1, MaxWidth = 128)]             public partial MaskedLinear Fc1 { get; }
    [Dense(10)]                                             public partial MaskedLinear Logits { get; }
}
