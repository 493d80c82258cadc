using Nest.Runtime.Export;
using Nest.Samples.Seeds;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>A saved model loads into a new instance of its seed type, masks and weights as saved; another seed type is
/// refused naming both.</summary>
public sealed class TypedModelLoadTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-typed-load-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string Save()
    {
        using var net = new LeNet300(randomSeed: 4);
        using (no_grad()) net.Fc1.weight_mask.narrow(0, 0, 10).zero_();
        var path = Path.Combine(_folder, "model.nestmodel");
        SavedModel.Save(path, new ModelHeader("LeNet300", "standardize", 0.13f, 0.31f, null, null, 0, 0), net);
        return path;
    }

    [Fact]
    public void TheSeedTypeGetsTheSavedMasksAndWeights()
    {
        var path = Save();
        using var saved = new LeNet300(randomSeed: 4);
        using (no_grad()) saved.Fc1.weight_mask.narrow(0, 0, 10).zero_();

        var (header, network) = SavedModel.Load(path, () => new LeNet300(randomSeed: 9));
        using var _ = network;

        Assert.Equal("LeNet300", header.Seed);
        Assert.True(network.Fc1.weight_mask.equal(saved.Fc1.weight_mask).all().item<bool>());
        Assert.True(network.Fc1.weight_orig.equal(saved.Fc1.weight_orig).all().item<bool>());
    }

    [Fact]
    public void AnotherSeedTypeIsRefusedNamingBoth()
    {
        var path = Save();

        var error = Assert.Throws<InvalidDataException>(() => SavedModel.Load(path, () => new LeNet5()));
        Assert.Equal($"'{path}' is a model of seed 'LeNet300', not 'LeNet5'", error.Message);
    }
}
