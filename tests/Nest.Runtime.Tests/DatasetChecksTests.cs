using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class DatasetChecksTests
{
    static string Refused(Func<Tensor> images, Func<Tensor> labels, int classes = 3) =>
        Assert.Throws<ArgumentException>(() => new ImageDataset("mine/train", images(), labels(), classes)).Message;

    [Fact]
    public void Float64ExamplesAreRefusedNamingTheDataSetAndTheType()
    {
        var message = Refused(() => zeros(4, 8, dtype: float64), () => zeros(4, dtype: int64));
        Assert.StartsWith("mine/train: examples are Float64; float32 is needed", message);
    }

    [Fact]
    public void Int32LabelsAreRefused()
    {
        var message = Refused(() => zeros(4, 8), () => zeros(4, dtype: int32));
        Assert.StartsWith("mine/train: labels are Int32; int64 is needed", message);
    }

    [Fact]
    public void LabelOutOfRangeIsRefusedWithTheRangeFound()
    {
        var message = Refused(() => zeros(4, 8), () => tensor(new long[] { 0, 1, 2, 3 }));
        Assert.StartsWith("mine/train: labels run from 0 to 3; with 3 classes each must be in [0, 2]", message);
    }

    [Fact]
    public void NegativeLabelIsRefused()
    {
        var message = Refused(() => zeros(4, 8), () => tensor(new long[] { 0, -1, 2, 1 }));
        Assert.Contains("labels run from -1 to 2", message);
    }

    [Fact]
    public void CountsThatDifferAreRefused()
    {
        var message = Refused(() => zeros(4, 8), () => zeros(5, dtype: int64));
        Assert.StartsWith("mine/train: 4 examples but 5 labels", message);
    }

    [Fact]
    public void LabelsOfRankTwoAreRefused()
    {
        var message = Refused(() => zeros(4, 8), () => zeros(4, 1, dtype: int64));
        Assert.StartsWith("mine/train: labels have shape [4, 1]", message);
    }

    [Fact]
    public void FlatFeaturesWithLabelsInRangeAreTaken()
    {
        using var data =
            new ImageDataset("mine/train", rand(6, 5), tensor(new long[] { 0, 1, 2, 2, 1, 0 }), classes: 3);
        Assert.Equal(new long[] { 5 }, data.SampleShape);
    }
}
