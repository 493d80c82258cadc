using System.Diagnostics;

namespace Nest.Benchmarks;

/// <summary>Median wall time of repeated runs, after one warm-up run.</summary>
static class Timing
{
    public static double Median(int repeats, Action run) => Median(repeats, () => { }, run);

    /// <summary><paramref name="prepare"/> runs before each timed run, untimed (to restore inputs an update
    /// changed).</summary>
    public static double Median(int repeats, Action prepare, Action run)
    {
        var times = new List<double>();
        for (int r = 0; r < repeats + 1; r++)
        {
            prepare();
            var clock = Stopwatch.StartNew();
            run();
            if (r > 0) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
