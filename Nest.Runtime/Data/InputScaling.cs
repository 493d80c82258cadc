namespace Nest.Runtime.Data;

/// <summary>How pixel values (0..255) become network inputs.</summary>
public enum InputScaling
{
    /// <summary>(v / 255 - mean) / std with the training part's statistics: zero-mean inputs, so a black
    /// pixel reads about -0.42 on MNIST.</summary>
    Standardize,

    /// <summary>v / 255 / std, no mean subtracted (Caffe's LeNet scales without centring too): a black pixel
    /// stays exactly 0, so a convolution window or dense connection that sees only background contributes
    /// exactly nothing and partial-area and magnitude pruning can take it for free. Under
    /// <see cref="Standardize"/> the same window adds a constant (about -0.42 x the kernel's sum) that
    /// pruning it must make the rest of the network absorb.</summary>
    ZeroBackground,
}
