using Nest.Runtime.Kernels;

namespace Nest.Runtime.Tests.Kernels;

/// <summary>One ILGPU CPU-emulator instance for a test class: compiling the kernels is the slow part.</summary>
public sealed class IlgpuEmulatorFixture : IDisposable
{
    public IMaskKernels Ilgpu { get; } = MaskKernels.Create(KernelBackend.IlgpuCpu);
    public IMaskKernels Cpu { get; } = MaskKernels.Create(KernelBackend.Cpu);

    public void Dispose()
    {
        Ilgpu.Dispose();
        Cpu.Dispose();
    }
}
