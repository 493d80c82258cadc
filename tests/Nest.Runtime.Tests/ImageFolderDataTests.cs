using Nest.Cli;
using Nest.Cli.Commands;
using Nest.Runtime.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Nest.Runtime.Tests;

/// <summary>A data set as train/ and test/ folders of PNG or JPEG images, one subfolder per class (torchvision's
/// ImageFolder): read channels first, or refused naming the file.</summary>
public sealed class ImageFolderDataTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string Png(string split, string label, string name, byte value, int size = 4, bool colour = false)
    {
        var folder = Path.Combine(_folder, split, label);
        Directory.CreateDirectory(folder);
        using var image = new Image<Rgb24>(size, size, new Rgb24(value, colour ? (byte)0 : value, value));
        var path = Path.Combine(folder, name + ".png");
        image.SaveAsPng(path);
        return path;
    }

    void TwoClasses(bool colour = false)
    {
        foreach (var split in new[] { "train", "test" })
            for (int i = 0; i < 3; i++)
            {
                Png(split, "cat", $"c{i}", 10, colour: colour);
                Png(split, "dog", $"d{i}", 200, colour: colour);
            }
    }

    [Fact]
    public void GreyImagesBecomeOneChannelWithClassesInFolderOrder()
    {
        TwoClasses();
        using var data = IdxDataset.Load(_folder, validationCount: 2);

        Assert.Equal(new long[] { 1, 4, 4 }, data.Train.SampleShape);
        Assert.Equal(2, data.Train.Classes);
        // Files in order: cat c0..c2 (label 0), then dog d0..d2 (label 1); the last two are held out.
        Assert.Equal(new long[] { 0, 0, 0, 1 }, data.Train.Labels.data<long>().ToArray());
        Assert.Equal(6, data.Test.Count);
    }

    [Fact]
    public void ColourImagesBecomeThreeChannels()
    {
        TwoClasses(colour: true);
        using var data = IdxDataset.Load(_folder, validationCount: 2);

        Assert.Equal(new long[] { 3, 4, 4 }, data.Train.SampleShape);
    }

    [Fact]
    public void AFileThatIsNotAnImageIsNamed()
    {
        TwoClasses();
        var bad = Path.Combine(_folder, "train", "dog", "d9.png");
        File.WriteAllText(bad, "not a png");

        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load(_folder, validationCount: 2));
        Assert.StartsWith($"{bad}: cannot be read as an image", error.Message);
    }

    [Fact]
    public void AnImageOfAnotherSizeIsNamed()
    {
        TwoClasses();
        var odd = Png("train", "dog", "d9", 50, size: 5);

        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load(_folder, validationCount: 2));
        Assert.StartsWith($"{odd}: is 5x5 but c0.png is 4x4", error.Message);
    }

    [Fact]
    public void ATestClassTheTrainingFolderLacksIsRefused()
    {
        TwoClasses();
        Png("test", "bird", "b0", 90);

        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load(_folder, validationCount: 2));
        Assert.Equal($"{Path.Combine(_folder, "test", "bird")}: is a class the training folder does not have",
            error.Message);
    }

    [Fact]
    public async Task SynthesizeOnAFolderWithABadImageWritesNothing()
    {
        TwoClasses();
        File.WriteAllText(Path.Combine(_folder, "test", "cat", "c9.jpg"), "not a jpeg");
        var output = Path.Combine(_folder, "run");
        string[] args = ["--seed", "tabular64", "--data", _folder, "--out", output];

        await Assert.ThrowsAsync<DatasetException>(() =>
            SynthesizeCommand.RunAsync(new Arguments(args, SynthesizeCommand.Flags), args, TextWriter.Null, default));

        Assert.False(Directory.Exists(output));
    }
}
