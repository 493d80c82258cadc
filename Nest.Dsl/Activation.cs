namespace Nest.Dsl;

/// <summary>Nonlinearity applied to a layer's output.</summary>
public enum Activation
{
    /// <summary>ReLU for hidden layers, none for the output layer.</summary>
    Default = 0,
    /// <summary>No nonlinearity.</summary>
    None = 1,
    /// <summary>max(0, x).</summary>
    Relu = 2,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 3,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid = 4,
    /// <summary>max(0.01 x, x).</summary>
    LeakyRelu = 5,
}
