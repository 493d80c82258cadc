namespace Nest.Runtime.Kernels;

/// <summary>
/// Maps floats to unsigned keys whose order is the floats' order (-infinity lowest), so selection can
/// run as a radix select on integers. Plain static arithmetic: ILGPU kernels call it too.
/// </summary>
public static class FloatKeys
{
    /// <summary>The key of a float's bits: sign set -> all bits flipped, else the sign bit set.</summary>
    public static uint ToKey(uint bits) => (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;

    /// <summary>The float bits of a key.</summary>
    public static uint FromKey(uint key) => (key & 0x80000000u) != 0 ? key & 0x7FFFFFFFu : ~key;

    /// <summary>Whether the bits are a NaN (exponent all ones, mantissa not zero).</summary>
    public static bool IsNaN(uint bits) => (bits & 0x7FFFFFFFu) > 0x7F800000u;

    /// <summary>The high 16 bits of negative infinity's key: its bin holds -infinity only once NaNs are excluded.</summary>
    public const int NegativeInfinityBin = 0x007F;

    /// <summary>Number of bins of a 16-bit radix pass.</summary>
    public const int Bins = 1 << 16;

    /// <summary>
    /// Finds the bin that holds the k-th largest value given a histogram, walking from the top.
    /// Returns the bin and how many values before it (above it) were passed.
    /// </summary>
    public static (int Bin, long Above) FindBin(ReadOnlySpan<long> histogram, long k)
    {
        long above = 0;
        for (int bin = histogram.Length - 1; bin >= 0; bin--)
        {
            if (above + histogram[bin] >= k) return (bin, above);
            above += histogram[bin];
        }
        throw new InvalidOperationException("k exceeds the histogram's total");
    }
}
