using System.Diagnostics;

namespace Nest.Runtime.Synthesis;

/// <summary>The kinds of work a synthesis spends its time on (see <see cref="WorkTimes"/>).</summary>
public enum Work
{
    /// <summary>The learning-rate check before the seed trains.</summary>
    RateCheck,
    /// <summary>Training epochs (every phase's).</summary>
    Training,
    /// <summary>Growth policies: dormant-connection gradients, neuron and feature-map growth.</summary>
    Growth,
    /// <summary>Pruning policies: scores, thresholds and mask updates, folding, unit removal.</summary>
    Pruning,
    /// <summary>Validation error after each training (and test error, recorded for reports only).</summary>
    Evaluation,
    /// <summary>Writing checkpoints.</summary>
    Checkpoints,
}

/// <summary>Seconds spent per kind of work, so that time-to-result can be tracked and cut where it goes; a resumed
/// run counts the process's own time from where it resumed.</summary>
public sealed class WorkTimes
{
    readonly double[] _seconds = new double[Enum.GetValues<Work>().Length];

    /// <summary>Times <paramref name="action"/> as <paramref name="work"/>.</summary>
    public T Measure<T>(Work work, Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return action();
        }
        finally
        {
            _seconds[(int)work] += clock.Elapsed.TotalSeconds;
        }
    }

    /// <summary>Seconds per kind of work, by its name in camelCase (as reports write names).</summary>
    public IReadOnlyDictionary<string, double> Seconds =>
        Enum.GetValues<Work>().ToDictionary(w => char.ToLowerInvariant(w.ToString()[0]) + w.ToString()[1..], w =>
            Math.Round(_seconds[(int)w], 3));
}
