using Nest.Runtime.Data;
using Nest.Cli;

namespace Nest.Runtime.Tests;

public class InputScalingTests
{
    [Fact]
    public void ZeroBackgroundKeepsBlackPixelsAtZeroAndDividesByTheSameDeviation()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 40, test: 10);
        using var standardized = IdxDataset.Load(files.Folder, validationCount: 8);
        using var zeroBackground =
            IdxDataset.Load(files.Folder, validationCount: 8, scaling: InputScaling.ZeroBackground);
        var raw = IdxReader.Read(files.Path(IdxDataset.TrainImages), 3).Values;

        Assert.Equal(InputScaling.ZeroBackground, zeroBackground.Scaling);
        Assert.Equal(0f, zeroBackground.Mean);
        Assert.Equal(standardized.Std, zeroBackground.Std);
        var pixels = zeroBackground.Train.Images.flatten().data<float>().ToArray();
        Assert.Contains(raw.Take(pixels.Length), v => v == 0);
        for (int i = 0; i < pixels.Length; i++)
        {
            if (raw[i] == 0) Assert.Equal(0f, pixels[i]);
            else Assert.Equal(raw[i] / 255f / standardized.Std, pixels[i], 1e-5f);
        }
    }

    [Fact]
    public void StandardizedTrainingImagesHaveZeroMeanAndNegativeBackground()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 40, test: 10);
        using var data = IdxDataset.Load(files.Folder, validationCount: 8);
        var raw = IdxReader.Read(files.Path(IdxDataset.TrainImages), 3).Values;

        Assert.Equal(InputScaling.Standardize, data.Scaling);
        Assert.Equal(0, data.Train.Images.mean().item<float>(), 1e-4f);
        var pixels = data.Train.Images.flatten().data<float>().ToArray();
        var black = Array.FindIndex(raw, v => v == 0);
        Assert.Equal(-data.Mean / data.Std, pixels[black], 1e-5f);
        Assert.True(pixels[black] < 0);
    }

    [Theory]
    [InlineData(null, InputScaling.Standardize)]
    [InlineData("standardize", InputScaling.Standardize)]
    [InlineData("zero-background", InputScaling.ZeroBackground)]
    public void InputOptionChoosesTheScaling(string? value, InputScaling expected)
    {
        var args =
            new Arguments(value is null ? Array.Empty<string>() : new[] { "--input", value }, new HashSet<string>());
        Assert.Equal(expected, CommandData.Scaling(args, InputScaling.Standardize));
        args.RejectUnknown();
    }

    [Fact]
    public void AnUnknownInputScalingIsRefusedByName()
    {
        var args = new Arguments(new[] { "--input", "centre" }, new HashSet<string>());
        var error = Assert.Throws<UsageException>(() => CommandData.Scaling(args, InputScaling.Standardize));
        Assert.Equal("--input must be one of standardize, zero-background (got 'centre')", error.Message);
    }
}
