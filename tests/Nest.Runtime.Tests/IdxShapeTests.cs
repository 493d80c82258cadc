using Nest.Runtime.Data;

namespace Nest.Runtime.Tests;

/// <summary>IDX examples of any shape: features [N, F], one-channel images [N, H, W] and [N, C, H, W].</summary>
public class IdxShapeTests
{
    static IdxFiles Write(int[] sample)
    {
        var files = new IdxFiles();
        var size = sample.Aggregate(1, (a, d) => a * d);
        foreach (var (images, labels, count) in new[] { ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 6),
            ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 2) })
        {
            File.WriteAllBytes(files.Path(images),
                IdxFiles.Encode([count, .. sample],
                Enumerable.Range(0, count * size).Select(i => (byte)(i % 251)).ToArray()));
            File.WriteAllBytes(files.Path(labels),
                IdxFiles.Encode([count], Enumerable.Range(0, count).Select(i => (byte)(i % 2)).ToArray()));
        }
        return files;
    }

    [Theory]
    [InlineData(new[] { 5 }, new long[] { 5 })]
    [InlineData(new[] { 4, 3 }, new long[] { 1, 4, 3 })]
    [InlineData(new[] { 3, 4, 2 }, new long[] { 3, 4, 2 })]
    public void ExamplesKeepTheirShape(int[] sample, long[] expected)
    {
        using var files = Write(sample);
        using var data = IdxDataset.Load(files.Folder, validationCount: 1);

        Assert.Equal(expected, data.Train.SampleShape);
        Assert.Equal(expected, data.Test.SampleShape);
    }

    [Fact]
    public void ARankOfFiveIsRefusedNamingTheFile()
    {
        using var files = Write([1, 2, 2, 2]);

        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load(files.Folder, validationCount: 1));
        Assert.Contains("train-images-idx3-ubyte: IDX rank 5 where 2 to 4 was expected", error.Message);
    }
}
