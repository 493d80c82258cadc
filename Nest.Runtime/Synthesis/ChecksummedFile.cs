using System.Security.Cryptography;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// The framing of Nest's binary files (checkpoints, saved models): an 8-byte magic, the body, and the SHA-256
/// of both, so a truncated or altered file is refused instead of read. Written with <see cref="AtomicFile"/>.
/// </summary>
public static class ChecksummedFile
{
    const int ChecksumBytes = 32;

    /// <summary>Magic + body + checksum, as bytes.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> magic, ReadOnlySpan<byte> body)
    {
        byte[] framed = [.. magic, .. body, .. new byte[ChecksumBytes]];
        SHA256.HashData(framed.AsSpan(0, framed.Length - ChecksumBytes), framed.AsSpan(framed.Length - ChecksumBytes));
        return framed;
    }

    /// <summary>The body of framed <paramref name="bytes"/>.</summary> <param name="bytes">A whole file.</param> <param
    /// name="magic">The 8 bytes it must start with.</param> <param name="what">What the file should be, for the message
    /// ("a Nest checkpoint").</param> <exception cref="InvalidDataException">Another kind of file, or the checksum does
    /// not match (with the reason).</exception>
    public static ReadOnlyMemory<byte> Unframe(byte[] bytes, ReadOnlySpan<byte> magic, string what)
    {
        if (bytes.Length < magic.Length + ChecksumBytes || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
            throw new InvalidDataException($"not {what} (no {System.Text.Encoding.ASCII.GetString(magic)} header)");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumBytes)).AsSpan().SequenceEqual(
            bytes.AsSpan(bytes.Length - ChecksumBytes)))
            throw new InvalidDataException("its checksum does not match: the file is truncated or altered");
        return bytes.AsMemory(magic.Length, bytes.Length - magic.Length - ChecksumBytes);
    }
}
