namespace Nest.Runtime.Tests.Kernels;

/// <summary>Random kernel inputs with the awkward cases mixed in.</summary>
internal static class KernelInputs
{
    public static float[] Gaussian(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] =
                scale * (float)(
                    Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    /// <summary>A 0/1 mask with about <paramref name="density"/> ones.</summary>
    public static float[] Mask(int length, double density, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() < density ? 1f : 0f).ToArray();
    }

    /// <summary>Values drawn from a handful of levels, so that many tie.</summary>
    public static float[] Ties(int length, int seed, int levels = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)random.Next(levels) - 2).ToArray();
    }

    /// <summary>The k-th largest candidate by sorting: the reference both paths must match.</summary>
    public static float KthLargestBySorting(float[] scores, long k)
    {
        var candidates = scores.Where(s => s > float.NegativeInfinity).OrderByDescending(s => s).ToArray();
        return candidates[k - 1];
    }

    /// <summary>Lengths that are empty, tiny, and not multiples of any group or vector size.</summary>
    public static readonly int[] Lengths = { 0, 1, 7, 37, 1000, 4099 };
}
