using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and exactly the same values (TorchSharp's equal is elementwise).</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
