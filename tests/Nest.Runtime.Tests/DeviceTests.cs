using Nest.Cli;
using Nest.Cli.Commands;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using Nest.Samples.Seeds;
using TorchSharp;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>Where a network trains: every tensor of a run on the device asked for, and a clear error for a device
/// this machine does not have. Without a GPU, LibTorch's meta device (shapes without data) stands in for a second
/// device: a network can be moved there, though nothing can be computed on it (nor copied back).</summary>
public sealed class DeviceTests : IDisposable
{
    static readonly Device Meta = new(DeviceType.META);
    readonly string _folder = Directory.CreateTempSubdirectory("nest-device-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static List<(string Name, Device Device)> Tensors(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, p.parameter.device))
            .Concat(module.named_buffers().Select(b => (b.name, b.buffer.device))).ToList();

    [Fact]
    public void AMaskedNetworkMovesWholeToAnotherDeviceMasksAndAreaMasksIncluded()
    {
        using var net = new LeNet5(randomSeed: 1);
        ((MaskedConv2d)((ISeedNetwork)net).MaskedLayerAt(0)!).EnableAreaMask(24, 24);

        net.to(Meta);

        var tensors = Tensors(net);
        Assert.Contains(tensors, t => t.Name.EndsWith("area_mask"));
        Assert.Contains(tensors, t => t.Name.EndsWith("weight_mask"));
        Assert.All(tensors, t => Assert.Equal(DeviceType.META, t.Device.type));
        Assert.Empty(ComputeDevices.Misplaced(net, Meta));
        Assert.Equal(tensors.Count, ComputeDevices.Misplaced(net, CPU).Count);
    }

    [Fact]
    public void ASynthesisKeepsEveryTensorOnItsDeviceAndReportsIt()
    {
        var (train, validation) = SmallData();
        using var _ = train;
        using var __ = validation;
        using var kernels = new CpuMaskKernels();
        using var net = new LeNet300(randomSeed: 3);
        var schedule = TestSchedules.Plain with
        {
            SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 1, Epochs = 1, GradientBatches = 2, NeuronRatio =
                0.1 },
            Pruning = TestSchedules.Plain.Pruning with { MaxSteps = 1, Epochs = 1 },
        };

        var result = new Synthesizer(schedule, kernels) { Device = CPU }.Run(net, train, validation);

        Assert.Equal("cpu", result.Device);
        Assert.All(Tensors(net), t => Assert.Equal(DeviceType.CPU, t.Device.type));
        Assert.True(result.History.Count >= 2);
    }

    [Fact]
    public void ABatchIsMadeOnTheDeviceAskedForWhereverTheDataLives()
    {
        using var data = new ImageDataset("rows", arange(12f).reshape(6, 2), arange(6L).remainder(2), 2);
        using var index = tensor(new long[] { 4, 1 });

        var (images, labels) = data.Rows(index, Meta);
        var (first, firstLabels) = data.Range(2, 3, CPU);

        Assert.Equal(DeviceType.META, images.device.type);
        Assert.Equal(DeviceType.META, labels.device.type);
        Assert.Equal(new long[] { 2, 2 }, images.shape);
        Assert.Equal(new float[] { 4, 5, 6, 7, 8, 9 }, first.data<float>().ToArray());
        Assert.Equal(new long[] { 0, 1, 0 }, firstLabels.data<long>().ToArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    [InlineData(" CPU ")]
    public void NamesResolveToTheDefaultOrTheCpu(string? name)
    {
        var byDefault = cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        var expected = name is null || name == "auto" ? byDefault : DeviceType.CPU;

        Assert.Equal(expected, ComputeDevices.Resolve(name).type);
    }

    [Theory]
    [InlineData("gpu", "is not a device; use auto, cpu, cuda or cuda:N")]
    [InlineData("cuda:x", "the CUDA device index must be a whole number")]
    [InlineData("cuda:-1", "the CUDA device index must be a whole number")]
    public void AMistypedDeviceIsRefusedWithTheChoices(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ComputeDevices.Resolve(name));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task AskingForCudaWithoutItIsAUsageErrorBeforeAnyFileIsWritten()
    {
        if (cuda.is_available()) return;   // this machine has CUDA: nothing to refuse
        var outFolder = Path.Combine(_folder, "run");
        string[] args = ["--seed", "lenet300", "--device", "cuda", "--out", outFolder];

        var error = await Assert.ThrowsAsync<UsageException>(() =>
            SynthesizeCommand.RunAsync(new Arguments(args, SynthesizeCommand.Flags), args, TextWriter.Null, default));

        Assert.StartsWith("--device 'cuda' asks for CUDA, but TorchSharp sees no CUDA device here", error.Message);
        Assert.False(Directory.Exists(outFolder));
    }

    static (ImageDataset Train, ImageDataset Validation) SmallData()
    {
        // Two separable classes of 784 features: enough for a step of each phase.
        using var generator = new Generator(5);
        var labels = randint(0, 2, new long[] { 600 }, generator: generator);
        var images =
            randn(new long[] { 600, 784 }, generator: generator) + labels.unsqueeze(1).to_type(ScalarType.Float32);
        return (new ImageDataset("train", images.narrow(0, 0, 400).clone(), labels.narrow(0, 0, 400).clone(), 10),
                new ImageDataset("validation", images.narrow(0, 400, 200).clone(), labels.narrow(0, 400, 200).clone(),
                    10));
    }
}
