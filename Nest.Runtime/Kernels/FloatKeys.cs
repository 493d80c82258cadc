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

    /// <summary>
    /// The digit-1 bin of negative infinity's key (0x007FFFFF &gt;&gt; 21): every other key of bins 0 to 3 is
    /// a NaN, so once NaNs are rejected that bin counts exactly the non-candidates.
    /// </summary>
    public const int NegativeInfinityDigit = 3;

    /// <summary>
    /// Both paths select in three radix digits of 11, 11 and 10 bits (bits 31..21, 20..10, 9..0): their
    /// 2,048-bin histograms fit a CPU core's L1 cache and a GPU group's shared memory.
    /// </summary>
    public const int DigitBins = 1 << 11;

    /// <summary>The digit of <paramref name="key"/> in pass 0, 1 or 2.</summary>
    public static int Digit(uint key, int pass) => pass switch
    {
        0 => (int)(key >> 21),
        1 => (int)((key >> 10) & 0x7FF),
        _ => (int)(key & 0x3FF),
    };

    /// <summary>Whether <paramref name="key"/> has the digits already chosen before <paramref name="pass"/>
    /// (<paramref name="prefix"/> holds them in place, lower bits zero).</summary>
    public static bool HasPrefix(uint key, int pass, uint prefix) => pass switch
    {
        0 => true,
        1 => (key & 0xFFE00000u) == prefix,
        _ => (key & 0xFFFFFC00u) == prefix,
    };

    /// <summary><paramref name="prefix"/> with <paramref name="digit"/> put in place for <paramref
    /// name="pass"/>.</summary>
    public static uint WithDigit(uint prefix, int pass, int digit) => pass switch
    {
        0 => (uint)digit << 21,
        1 => prefix | ((uint)digit << 10),
        _ => prefix | (uint)digit,
    };

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
