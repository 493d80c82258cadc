namespace Nest.Generators.Tests;

/// <summary>The reference seeds the snapshot tests generate code for.</summary>
internal static class Seeds
{
    public const string LeNet300 = """
        using Nest.Dsl;
        using Nest.Runtime;

        namespace Samples;

        [SeedNetwork(Input = new[] { 784 }, Classes = 10, WidthScale = 0.4)]
        public sealed partial class LeNet300
        {
            [Dense(300, Density = 0.1, MaxWidth = 300)] public partial MaskedLinear Fc1 { get; }
            [Dense(100, Density = 0.1, MaxWidth = 100)] public partial MaskedLinear Fc2 { get; }
            [Dense(10, Density = 0.5)]                  public partial MaskedLinear Logits { get; }
        }
        """;

    public const string LeNet5 = """
        using Nest.Dsl;
        using Nest.Runtime;

        namespace Samples;

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
        """;

    /// <summary>torchvision's AlexNet (single-tower, 224 x 224 input).</summary>
    public const string AlexNet = """
        using Nest.Dsl;
        using Nest.Runtime;

        namespace Samples;

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
        """;

    /// <summary>VGG-16 (configuration D, 224 x 224 input), hidden widths at half scale as a NeST seed.</summary>
    public const string Vgg16 = """
        using Nest.Dsl;
        using Nest.Runtime;

        namespace Samples;

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
        """;
}
