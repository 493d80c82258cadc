// VGG-16 (configuration D, 224 x 224 input) as a seed: widths at half scale, sparse.
using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Runtime.Tests.Seeds;

[SeedNetwork(Input = new[] { 3, 224, 224 }, Classes = 1000, WidthScale = 0.5)]
public sealed partial class Vgg16
{
    [Conv2d(64, Padding = 1, Density = 0.5)]  public partial MaskedConv2d Conv1_1 { get; }
    [Conv2d(64, Padding = 1, Density = 0.5)]  public partial MaskedConv2d Conv1_2 { get; }
    [MaxPool2d(2)]                            public partial MaxPool Pool1 { get; }
    [Conv2d(128, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv2_1 { get; }
    [Conv2d(128, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv2_2 { get; }
    [MaxPool2d(2)]                            public partial MaxPool Pool2 { get; }
    [Conv2d(256, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv3_1 { get; }
    [Conv2d(256, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv3_2 { get; }
    [Conv2d(256, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv3_3 { get; }
    [MaxPool2d(2)]                            public partial MaxPool Pool3 { get; }
    [Conv2d(512, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv4_1 { get; }
    [Conv2d(512, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv4_2 { get; }
    [Conv2d(512, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv4_3 { get; }
    [MaxPool2d(2)]                            public partial MaxPool Pool4 { get; }
    [Conv2d(512, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv5_1 { get; }
    [Conv2d(512, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv5_2 { get; }
    [Conv2d(512, Padding = 1, Density = 0.5)] public partial MaskedConv2d Conv5_3 { get; }
    [MaxPool2d(2)]                            public partial MaxPool Pool5 { get; }
    [Flatten]                                 public partial Flatten Flat { get; }
    [Dense(4096, Density = 0.05)]             public partial MaskedLinear Fc6 { get; }
    [Dropout]                                 public partial Dropout Drop6 { get; }
    [Dense(4096, Density = 0.05)]             public partial MaskedLinear Fc7 { get; }
    [Dropout]                                 public partial Dropout Drop7 { get; }
    [Dense(1000, Density = 0.2)]              public partial MaskedLinear Fc8 { get; }
}
