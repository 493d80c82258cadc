using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>Copies between CPU float tensors and arrays, for the mask kernels (which work on flat arrays).</summary>
public static class TensorArrays
{
    /// <summary>The tensor's values, row-major.</summary>
    public static float[] Read(Tensor tensor)
    {
        using var cpu = tensor.detach().to(CPU).contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>Overwrites the tensor's values in place (its shape unchanged).</summary>
    public static void Write(Tensor tensor, float[] values)
    {
        using var _ = no_grad();
        using var source = TorchSharp.torch.tensor(values).reshape(tensor.shape);
        tensor.copy_(source);
    }
}
