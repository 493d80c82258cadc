using Nest.Dsl;
using Nest.Runtime;

namespace Nest.Samples.Seeds;

/// <summary>
/// A seed for 64 features (an 8x8 IDX "image" or any 64 numbers per example) and 10 classes: reference 64-256-128-10,
/// scaled by r = 0.4, hidden layers 20% dense, growth bounded at the reference widths.
/// </summary>
[SeedNetwork(Input = new[] { 64 }, Classes = 10, WidthScale = 0.4)]
public sealed partial class Tabular64
{
    [Dense(256, Density = 0.2, MaxWidth = 256)] public partial MaskedLinear Fc1 { get; }
    [Dense(128, Density = 0.2, MaxWidth = 128)] public partial MaskedLinear Fc2 { get; }
    [Dense(10, Density = 0.5)]                  public partial MaskedLinear Logits { get; }
}
