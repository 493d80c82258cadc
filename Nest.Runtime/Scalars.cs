using TorchSharp;
using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>
/// Scalars that live as long as LibTorch reads them. TorchSharp's <see cref="Scalar"/> holds a raw native handle and a
/// finalizer, so one made implicitly for a single call (<c>tensor * 2</c>, <c>mask.gt(0)</c>) is unreachable once its
/// handle is read and can be finalized by the garbage collector while the native call still reads it: the call then
/// fails at random ("Unknown scalar type"; seen twice in long syntheses). Constants here are static (never collected);
/// a value computed at run time goes through the helpers below, which hold their Scalar until the call returns.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar(), One = 1.ToScalar(), Two = 2.ToScalar();

    /// <summary><paramref name="tensor"/> * <paramref name="value"/>.</summary>
    public static Tensor Times(this Tensor tensor, double value) => Held(value, s => tensor.mul(s));

    /// <summary><paramref name="tensor"/> / <paramref name="value"/>.</summary>
    public static Tensor Over(this Tensor tensor, double value) => Held(value, s => tensor.div(s));

    /// <summary><paramref name="tensor"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor tensor, double value) => Held(value, s => tensor.add(s));

    /// <summary><paramref name="tensor"/> &gt;= <paramref name="value"/>, elementwise.</summary>
    public static Tensor AtLeast(this Tensor tensor, double value) => Held(value, s => tensor.ge(s));

    /// <summary><paramref name="tensor"/> &lt; <paramref name="value"/>, elementwise.</summary>
    public static Tensor Below(this Tensor tensor, double value) => Held(value, s => tensor.lt(s));

    /// <summary><paramref name="tensor"/> to the power <paramref name="value"/>.</summary>
    public static Tensor Power(this Tensor tensor, double value) => Held(value, s => tensor.pow(s));

    // The Scalar is disposed after the call returns, so it stays reachable while LibTorch reads it.
    static Tensor Held(double value, Func<Scalar, Tensor> call)
    {
        using var scalar = value.ToScalar();
        return call(scalar);
    }

    /// <summary>Uniform draws in [-1, 1) (<c>rand * 2 - 1</c>).</summary>
    public static Tensor Symmetric(this Tensor uniform) => uniform.mul(Two).sub_(One);
}
