using static TorchSharp.torch;

namespace Nest.Benchmarks;

/// <summary>The same threshold and update with TorchSharp ops, kept apart so that a run with
/// --no-torch never loads LibTorch.</summary>
static class TorchOps
{
    public static int Threads => get_num_threads();

    /// <summary>kthvalue on the candidates, then masked fills; checks that the threshold equals Nest's.</summary>
    public static (double Select, double Update) Time(float[] scores, float[] mask, float[] weight, long k,
        float threshold, int repeats)
    {
        using var s = from_array(scores);
        using var m = from_array(mask);
        using var w = from_array(weight);
        float torchThreshold = 0;
        var select = Timing.Median(repeats, () =>
        {
            using var scope = NewDisposeScope();
            var candidates = s.masked_select(s.gt(float.NegativeInfinity));
            // the k-th largest is the (count - k + 1)-th smallest
            torchThreshold = candidates.kthvalue(candidates.shape[0] - k + 1, 0, false).values.item<float>();
        });
        if (torchThreshold != threshold)
            throw new InvalidOperationException($"thresholds differ: Nest {threshold}, TorchSharp {torchThreshold}");
        using var m2 = m.clone();
        using var w2 = w.clone();
        var update = Timing.Median(repeats, () =>
        {
            m2.copy_(m);
            w2.copy_(w);
        }, () =>
        {
            using var scope = NewDisposeScope();
            var selected = s.ge(threshold).logical_and_(s.gt(float.NegativeInfinity));
            m2.masked_fill_(selected, 0);
            w2.masked_fill_(selected, 0);
        });
        return (select, update);
    }
}
