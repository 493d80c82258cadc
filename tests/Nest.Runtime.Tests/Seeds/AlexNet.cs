// torchvision's AlexNet (single tower, 224 x 224 input), convolutions half dense, classifier sparser.
using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Runtime.Tests.Seeds;

[SeedNetwork(Input = new[] { 3, 224, 224 }, Classes = 1000)]
public sealed partial class AlexNet
{
    [Conv2d(64, Kernel = 11, Stride = 4, Padding = 2, Density = 0.5)] public partial MaskedConv2d Conv1 { get; }
    [MaxPool2d(3, Stride = 2)]                                          public partial MaxPool Pool1 { get; }
    [Conv2d(192, Kernel = 5, Padding = 2, Density = 0.5)]               public partial MaskedConv2d Conv2 { get; }
    [MaxPool2d(3, Stride = 2)]                                          public partial MaxPool Pool2 { get; }
    [Conv2d(384, Kernel = 3, Padding = 1, Density = 0.5)]               public partial MaskedConv2d Conv3 { get; }
    [Conv2d(256, Kernel = 3, Padding = 1, Density = 0.5)]               public partial MaskedConv2d Conv4 { get; }
    [Conv2d(256, Kernel = 3, Padding = 1, Density = 0.5)]               public partial MaskedConv2d Conv5 { get; }
    [MaxPool2d(3, Stride = 2)]                                          public partial MaxPool Pool5 { get; }
    [Flatten]                                                           public partial Flatten Flat { get; }
    [Dropout(0.5)]                                                      public partial Dropout Drop6 { get; }
    [Dense(4096, Density = 0.1)]                                        public partial MaskedLinear Fc6 { get; }
    [Dropout(0.5)]                                                      public partial Dropout Drop7 { get; }
    [Dense(4096, Density = 0.1)]                                        public partial MaskedLinear Fc7 { get; }
    [Dense(1000, Density = 0.2)]                                        public partial MaskedLinear Fc8 { get; }
}
