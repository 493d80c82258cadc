using System.Buffers.Binary;

namespace Nest.Runtime.Tests;

/// <summary>Writes small IDX files for data tests, in a temporary folder deleted on dispose.</summary>
internal sealed class IdxFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("nest-idx-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    public static byte[] Encode(int[] dimensions, byte[] values)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + values.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        values.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>A set of <paramref name="train"/> + <paramref name="test"/> 8x8 images whose label is
    /// the quadrant (0..3) that holds a bright square: easy to learn, so training must beat chance.</summary>
    public IdxFiles WriteQuadrants(int train, int test, int seed = 1)
    {
        var random = new Random(seed);
        void Write(string images, string labels, int count)
        {
            var pixels = new byte[count * 64];
            var classes = new byte[count];
            for (int n = 0; n < count; n++)
            {
                var label = random.Next(4);
                classes[n] = (byte)label;
                int top = label / 2 * 4, left = label % 2 * 4;
                for (int i = 0; i < 64; i++) pixels[n * 64 + i] = (byte)random.Next(40);
                for (int y = 0; y < 3; y++)
                    for (int x = 0; x < 3; x++)
                        pixels[n * 64 + (top + y) * 8 + left + x] = (byte)(200 + random.Next(56));
            }
            File.WriteAllBytes(Path(images), Encode(new[] { count, 8, 8 }, pixels));
            File.WriteAllBytes(Path(labels), Encode(new[] { count }, classes));
        }
        Write("train-images-idx3-ubyte", "train-labels-idx1-ubyte", train);
        Write("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test);
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
