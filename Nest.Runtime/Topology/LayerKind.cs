namespace Nest.Runtime;

/// <summary>The kinds of layer a seed can declare.</summary>
public enum LayerKind
{
    /// <summary>Fully connected (<see cref="MaskedLinear"/>).</summary>
    Dense,
    /// <summary>2-D convolution (<see cref="MaskedConv2d"/>).</summary>
    Conv2d,
    /// <summary>2-D max pooling (<see cref="MaxPool"/>).</summary>
    MaxPool2d,
    /// <summary>Flatten to a vector (<see cref="Flatten"/>).</summary>
    Flatten,
    /// <summary>Dropout (<see cref="Dropout"/>).</summary>
    Dropout,
}
