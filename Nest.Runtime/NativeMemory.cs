using System.Runtime.InteropServices;

namespace Nest.Runtime;

/// <summary>
/// Keeps glibc's allocator from fragmenting during masked training. glibc's dynamic mmap threshold climbs after the
/// first large frees, and later large tensors come from heap arenas that fragment (resident memory of masked LeNet
/// training was seen doubling in three epochs). Two remedies, chosen with <c>NEST_MALLOC</c>:
/// <c>trim</c> (the default) keeps glibc's fast allocation and, after each epoch, runs the finalizers of what nobody
/// disposed and hands the free pages of every arena back (<c>malloc_trim</c>); <c>mmap</c> pins the threshold at
/// 4 MiB (<c>NEST_MMAP_THRESHOLD=bytes</c> overrides it), so every large tensor is mapped and returned on free, at
/// the cost of fresh page faults for each (LeNet-5's activations: slower epochs for no less memory,
/// bench/results/memory.md); <c>default</c> does neither (to measure the difference; <c>NEST_MALLOC_DEFAULT=1</c>
/// means the same).
/// </summary>
public static class NativeMemory
{
    const int MmapThreshold = -3;   // M_MMAP_THRESHOLD in malloc.h
    // 4 MiB, not the 128 KiB often suggested: at 128 KiB every activation and gradient of a LeNet-300-100 step is an
    // mmap/munmap pair with fresh page faults.
    const int DefaultThreshold = 4 * 1024 * 1024;
    static int _applied;

    /// <summary>The remedy in force: <c>mmap</c>, <c>trim</c> or <c>default</c> (see the type's summary).</summary>
    public static string Mode { get; } = ModeFromEnvironment();

    /// <summary>Applies the <c>mmap</c> setting once per process; a no-op in the other modes and off
    /// Linux/glibc.</summary>
    public static bool LimitFragmentation()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return true;
        if (!OperatingSystem.IsLinux() || Mode != "mmap") return false;
        var threshold =
            int.TryParse(Environment.GetEnvironmentVariable("NEST_MMAP_THRESHOLD"), out var bytes) && bytes > 0 ? bytes
                : DefaultThreshold;
        try
        {
            return mallopt(MmapThreshold, threshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // musl and other C libraries have no mallopt
        }
    }

    /// <summary>In <c>trim</c> mode, between two epochs: collects what only finalizers free, then returns the
    /// allocator's free pages to the system; else nothing.</summary>
    public static void Trim()
    {
        if (Mode != "trim" || !OperatingSystem.IsLinux()) return;
        // Native memory held by objects that only a finalizer releases (tensor handles nobody disposed) goes back
        // first: without it resident memory climbed epoch after epoch (bench/results/memory.md).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim.
        }
    }

    static string ModeFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable("NEST_MALLOC_DEFAULT") == "1") return "default";
        var mode = Environment.GetEnvironmentVariable("NEST_MALLOC");
        return mode is "mmap" or "default" ? mode : "trim";
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(nuint pad);
}
