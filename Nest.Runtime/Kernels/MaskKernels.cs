namespace Nest.Runtime.Kernels;

/// <summary>Which implementation of <see cref="IMaskKernels"/> to use.</summary>
public enum KernelBackend
{
    /// <summary>CUDA through ILGPU when a GPU is present, else the vectorised CPU path.</summary>
    Auto,
    /// <summary>The vectorised CPU path.</summary>
    Cpu,
    /// <summary>CUDA through ILGPU; fails when there is no GPU.</summary>
    Cuda,
    /// <summary>ILGPU's CPU emulator (slow; for testing kernels).</summary>
    IlgpuCpu,
}

/// <summary>Chooses the mask kernels; the chosen one's <see cref="IMaskKernels.Name"/> goes into run reports.</summary>
public static class MaskKernels
{
    /// <summary>Creates the kernels for <paramref name="backend"/>.</summary> <exception
    /// cref="InvalidOperationException"><see cref="KernelBackend.Cuda"/> was asked for and no CUDA device was
    /// found.</exception>
    public static IMaskKernels Create(KernelBackend backend = KernelBackend.Auto) => backend switch
    {
        KernelBackend.Cpu => new CpuMaskKernels(),
        KernelBackend.IlgpuCpu => IlgpuMaskKernels.CreateCpuEmulator(),
        KernelBackend.Cuda => IlgpuMaskKernels.TryCreateCuda(out var reason)
            ?? throw new InvalidOperationException($"The CUDA backend was asked for but cannot run: {reason}. Use the CPU backend."),
        _ => (IMaskKernels?)IlgpuMaskKernels.TryCreateCuda() ?? new CpuMaskKernels(),
    };
}
