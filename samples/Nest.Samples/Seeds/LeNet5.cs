using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Samples.Seeds;

/// <summary>
/// LeNet-5 (Caffe) as a NeST seed: the reference 20-50-500 layers, sparse; growth may widen them by a
/// quarter (unbounded, two growth steps made the convolutions 1.5x the reference's FLOPs, and each
/// training epoch that much slower, for a network that pruning must then shrink again).
/// </summary>
[SeedNetwork(Input = new[] { 1, 28, 28 }, Classes = 10)]
public sealed partial class LeNet5
{
    [Conv2d(20, Kernel = 5, Density = 0.3, MaxWidth = 25)] public partial MaskedConv2d Conv1 { get; }
    [MaxPool2d(2)]                          public partial MaxPool Pool1 { get; }
    [Conv2d(50, Kernel = 5, Density = 0.3, MaxWidth = 62)] public partial MaskedConv2d Conv2 { get; }
    [MaxPool2d(2)]                          public partial MaxPool Pool2 { get; }
    [Flatten]                               public partial Flatten Flat { get; }
    [Dense(500, Density = 0.1, MaxWidth = 625)]             public partial MaskedLinear Fc1 { get; }
    [Dense(10)]                             public partial MaskedLinear Logits { get; }
}
