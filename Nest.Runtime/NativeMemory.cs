using System.Runtime.InteropServices;

namespace Nest.Runtime;

/// <summary>
/// Keeps glibc's allocator from fragmenting during masked training: glibc's dynamic mmap threshold
/// climbs after the first large frees and later large tensors come from fragmented heap arenas
/// (resident memory of masked LeNet training was seen doubling in three epochs). Pinning the
/// threshold serves every large tensor with mmap, which is returned to the system on free.
/// <c>NEST_MMAP_THRESHOLD=bytes</c> overrides the threshold, <c>NEST_MALLOC_DEFAULT=1</c> disables it.
/// </summary>
public static class NativeMemory
{
    const int MmapThreshold = -3;   // M_MMAP_THRESHOLD in malloc.h
    // 4 MiB, not the 128 KiB often suggested: at 128 KiB every activation and gradient of a
    // LeNet-300-100 step is an mmap/munmap pair with fresh page faults, which measured 2.0 s per
    // epoch against 1.2 s at 4 MiB; large tensors (LeNet-5's activations) are still mapped, and
    // resident memory stayed within 3% over 4 masked LeNet-5 epochs (bench/memory.sh).
    const int DefaultThreshold = 4 * 1024 * 1024;
    static int _applied;

    /// <summary>Applies the setting once per process; a no-op off Linux/glibc, or when the environment
    /// variable <c>NEST_MALLOC_DEFAULT=1</c> asks for glibc's default (to measure the difference).</summary>
    public static bool LimitFragmentation()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return true;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("NEST_MALLOC_DEFAULT") == "1") return false;
        var threshold = int.TryParse(Environment.GetEnvironmentVariable("NEST_MMAP_THRESHOLD"), out var bytes) && bytes > 0 ? bytes : DefaultThreshold;
        try
        {
            return mallopt(MmapThreshold, threshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // musl and other C libraries have no mallopt
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);
}
