namespace Nest.Generators;

/// <summary>Mirror of Nest.Runtime.LayerKind (the generator references neither runtime nor DSL).</summary>
internal enum LayerKind
{
    Dense,
    Conv2d,
    MaxPool2d,
    Flatten,
    Dropout,
}

/// <summary>Mirror of Nest.Dsl.Activation; the numeric values must stay equal.</summary>
internal enum Activation
{
    Default = 0,
    None = 1,
    Relu = 2,
    Tanh = 3,
    Sigmoid = 4,
    LeakyRelu = 5,
}
