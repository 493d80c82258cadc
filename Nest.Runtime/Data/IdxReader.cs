using System.Buffers.Binary;

namespace Nest.Runtime.Data;

/// <summary>An IDX array of unsigned bytes (the MNIST format): its dimensions and its values.</summary>
public sealed record IdxArray(string Path, int[] Dimensions, byte[] Values)
{
    /// <summary>Number of items: the first dimension.</summary>
    public int Count => Dimensions[0];
}

/// <summary>
/// Reads IDX files (http://yann.lecun.com/exdb/mnist/ format): two zero bytes, a type byte (0x08 for
/// unsigned bytes), a rank byte, the dimensions as big-endian 32-bit integers, then the values.
/// Every way a file can be wrong is reported with the file name and the numbers involved.
/// </summary>
public static class IdxReader
{
    const byte UnsignedByte = 0x08;

    /// <summary>Reads a file of unsigned bytes whose rank is <paramref name="expectedRank"/>.</summary> <exception
    /// cref="DatasetException">Missing, not IDX, of the wrong type or rank, truncated or too long.</exception>
    public static IdxArray Read(string path, int expectedRank) => Read(path, expectedRank, expectedRank);

    /// <summary>Reads a file of unsigned bytes whose rank is from <paramref name="minRank"/> to <paramref
    /// name="maxRank"/> (examples of any shape: [N, features], [N, H, W] or [N, C, H, W]).</summary> <exception
    /// cref="DatasetException">Missing, not IDX, of the wrong type or rank, truncated or too long.</exception>
    public static IdxArray Read(string path, int minRank, int maxRank)
    {
        var expectedRank = minRank;
        if (!File.Exists(path))
            throw new DatasetException(path, "file not found");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(path, "cannot be read: " + e.Message, e);
        }

        if (bytes.Length < 4)
            throw new DatasetException(path,
                $"truncated: {bytes.Length} bytes, shorter than the 4-byte IDX magic number");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new DatasetException(path,
                $"not an IDX file: wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8} (expected 0x000008{expectedRank:X2})");
        if (bytes[2] != UnsignedByte)
            throw new DatasetException(path,
                $"IDX value type 0x{bytes[2]:X2} is not supported (expected 0x08, unsigned bytes)");
        int rank = bytes[3];
        if (rank < minRank || rank > maxRank)
            throw new DatasetException(path,
                $"IDX rank {rank} where {(minRank == maxRank ? $"{minRank}" : $"{minRank} to {maxRank}")} was expected " +
                                             $"(magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8})");

        long header = 4 + 4L * rank;
        if (bytes.Length < header)
            throw new DatasetException(path,
                $"truncated: the header needs {header} bytes, the file has {bytes.Length}");
        var dimensions = new int[rank];
        long expected = header;
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            var d = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d <= 0)
                throw new DatasetException(path, $"dimension {i} is {d}; IDX dimensions must be positive");
            dimensions[i] = d;
            count *= d;
            // Checked as it grows (each factor is below 2^31, so the product cannot wrap before this): dimensions whose
            // product overflows 64 bits would otherwise pass as a small file.
            if (count > Array.MaxLength)
                throw new DatasetException(path,
                    $"dimensions [{string.Join(", ", dimensions.Take(i + 1))}{(i + 1 < rank ? ", ..." : "")}] " +
                                                 $"describe more than {Array.MaxLength:N0} values; the file has {bytes.Length:N0} bytes");
        }
        expected += count;
        if (bytes.Length < expected)
            throw new DatasetException(path,
                $"truncated: expected {expected:N0} bytes for dimensions [{string.Join(", ", dimensions)}], found {bytes.Length:N0}");
        if (bytes.Length > expected)
            throw new DatasetException(path,
                $"{bytes.Length - expected:N0} unexpected bytes after the {expected:N0} that dimensions [{string.Join(", ", dimensions)}] need");

        return new IdxArray(path, dimensions, bytes.AsSpan((int)header).ToArray());
    }
}
