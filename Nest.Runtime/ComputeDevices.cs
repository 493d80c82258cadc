using TorchSharp;
using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>
/// Where a network trains: the device named by the user (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), or by default
/// CUDA when TorchSharp sees a GPU and the CPU otherwise. Everything else in a run follows the network: every batch,
/// random draw and new tensor is made on (or moved to) the device of the layer it serves, so the network's device is
/// the run's device.
/// </summary>
public static class ComputeDevices
{
    /// <summary>The names <see cref="Resolve"/> understands, for messages and help.</summary>
    public const string Choices = "auto, cpu, cuda or cuda:N";

    /// <summary>CUDA (device 0) when TorchSharp sees a GPU, else the CPU.</summary>
    public static Device Default => CudaAvailable() ? CUDA : CPU;

    /// <summary>The device <paramref name="name"/> asks for: null, empty or <c>auto</c> gives
    /// <see cref="Default"/>.</summary>
    /// <exception cref="ArgumentException">The name is none of <see cref="Choices"/>, or it asks for CUDA (or a CUDA
    /// device index) that this machine's LibTorch cannot reach; the message says what there is.</exception>
    public static Device Resolve(string? name)
    {
        var text = name?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text) || text == "auto") return Default;
        if (text == "cpu") return CPU;
        if (text != "cuda" && !text.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is not a device; use {Choices}", nameof(name));
        var index = 0;
        if (text.Length > 4 && (!int.TryParse(text.AsSpan(5), System.Globalization.NumberStyles.None, null, out index)))
            throw new ArgumentException($"'{name}': the CUDA device index must be a whole number (cuda:0, cuda:1, ...)",
                nameof(name));
        if (!CudaAvailable())
            throw new ArgumentException($"'{name}' asks for CUDA, but TorchSharp sees no CUDA device here (the LibTorch " +
                                        "in use is a CPU build, or there is no GPU or driver); use cpu, or build with a " +
                                        "CUDA backend (docs/device.md)", nameof(name));
        var count = cuda.device_count();
        if (index >= count)
            throw new ArgumentException($"'{name}': there is no CUDA device {index}; this machine has {count} " +
                                        $"(cuda:0{(count > 1 ? $" to cuda:{count - 1}" : "")})", nameof(name));
        return new Device(DeviceType.CUDA, index);
    }

    /// <summary>How reports and the live view name a device: <c>cpu</c>, <c>cuda:0</c>.</summary>
    public static string Describe(Device device) =>
        device.type == DeviceType.CUDA
            ? $"cuda:{Math.Max(0, device.index)}"
            : device.type.ToString().ToLowerInvariant();

    /// <summary>The device of the module's first parameter (or buffer); the CPU for a module that holds none.</summary>
    public static Device Of(nn.Module module)
    {
        foreach (var parameter in module.parameters()) return parameter.device;
        foreach (var buffer in module.buffers()) return buffer.device;
        return CPU;
    }

    /// <summary>The names of the module's parameters and buffers that are not on <paramref name="device"/>: what a
    /// run's network must never hold (a check for tests and for <see cref="Synthesis.Synthesizer"/>).</summary>
    public static IReadOnlyList<string> Misplaced(nn.Module module, Device device)
    {
        var misplaced = new List<string>();
        foreach (var (name, parameter) in module.named_parameters())
            if (!Same(parameter.device, device)) misplaced.Add(name);
        foreach (var (name, buffer) in module.named_buffers())
            if (!Same(buffer.device, device)) misplaced.Add(name);
        return misplaced;
    }

    /// <summary>Whether two devices are one: the CUDA device index -1 (current) counts as 0.</summary>
    public static bool Same(Device a, Device b) => a.type == b.type && Math.Max(0, a.index) == Math.Max(0, b.index);

    static bool CudaAvailable()
    {
        try
        {
            return cuda.is_available();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            return false;
        }
    }
}
