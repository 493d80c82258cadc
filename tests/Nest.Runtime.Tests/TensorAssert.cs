using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and exactly the same values (TorchSharp's equal is elementwise).</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>The network's outputs in evaluation mode, without gradients: to check that a change kept its
    /// function.</summary>
    public static Tensor Outputs(nn.Module<Tensor, Tensor> net, Tensor input)
    {
        using var _ = no_grad();
        net.eval();
        return net.forward(input).detach();
    }

    /// <summary>Overwrites a parameter or mask in place with hand-written values (row-major, reshaped to its
    /// shape).</summary>
    public static void Set(Tensor target, float[] values)
    {
        using var _ = no_grad();
        target.copy_(tensor(values).reshape(target.shape));
    }

    /// <summary>The tensor's values, row-major: to compare with hand-written ones.</summary>
    public static float[] Values(Tensor t) => t.flatten().data<float>().ToArray();
}
