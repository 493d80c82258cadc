// Convolutional seeds of shapes nobody tuned the defaults for: colour, non-square input, padding, strides,
// 1 x 1 and 4 x 4 kernels, pooling whose stride is not its window, dropout between convolutions, no pooling at all.
using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Runtime.Tests.Seeds;

[SeedNetwork(Input = new[] { 3, 10, 12 }, Classes = 5)]
public sealed partial class StridedColourNet
{
    [Conv2d(6, Kernel = 3, Padding = 1, Density = 0.5, MaxWidth = 10)] public partial MaskedConv2d C1 { get; }
    [Conv2d(8, Kernel = 3, Stride = 2, Density = 0.5)]                  public partial MaskedConv2d C2 { get; }
    [Conv2d(8, Kernel = 1, Density = 0.5)]                              public partial MaskedConv2d C3 { get; }
    [Flatten]                                                           public partial Flatten Flat { get; }
    [Dense(5)]                                                          public partial MaskedLinear Out { get; }
}

[SeedNetwork(Input = new[] { 3, 10, 12 }, Classes = 5)]
public sealed partial class OverlappingPoolNet
{
    [Conv2d(4, Kernel = 5, Padding = 2, Density = 0.3)] public partial MaskedConv2d C1 { get; }
    [MaxPool2d(3, Stride = 2)]                          public partial MaxPool P1 { get; }
    [Dropout(0.3)]                                      public partial Dropout D1 { get; }
    [Conv2d(6, Kernel = 4, Density = 0.3)]              public partial MaskedConv2d C2 { get; }
    [Flatten]                                           public partial Flatten Flat { get; }
    [Dense(16, Density = 0.2)]                          public partial MaskedLinear Hidden { get; }
    [Dropout(0.5)]                                      public partial Dropout D2 { get; }
    [Dense(5)]                                          public partial MaskedLinear Out { get; }
}
