namespace Nest.Runtime.Growth;

/// <summary>Index arithmetic shared by the generated growth hooks.</summary>
public static class UnitIndices
{
    /// <summary>The ascending indices in [0, <paramref name="count"/>) that are not in <paramref
    /// name="removed"/>.</summary> <exception cref="ArgumentOutOfRangeException">An index is outside the
    /// layer.</exception>
    public static long[] Keep(long count, IReadOnlyCollection<long> removed, string layer)
    {
        var drop = new bool[count];
        foreach (var unit in removed)
        {
            if (unit < 0 || unit >= count)
                throw new ArgumentOutOfRangeException(nameof(removed), unit,
                    $"Layer '{layer}' has {count} units; cannot remove unit {unit}.");
            drop[unit] = true;
        }
        var keep = new List<long>((int)count);
        for (long i = 0; i < count; i++)
            if (!drop[i]) keep.Add(i);
        return keep.ToArray();
    }

    /// <summary>Expands unit indices to the consumer's input columns when each unit feeds
    /// <paramref name="inputsPerUnit"/> consecutive columns (a feature map of H x W through a flatten).</summary>
    public static long[] Expand(long[] units, int inputsPerUnit)
    {
        if (inputsPerUnit == 1) return units;
        var columns = new long[units.Length * inputsPerUnit];
        for (int u = 0; u < units.Length; u++)
            for (int k = 0; k < inputsPerUnit; k++)
                columns[u * inputsPerUnit + k] = units[u] * inputsPerUnit + k;
        return columns;
    }
}
