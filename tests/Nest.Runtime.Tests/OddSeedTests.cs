using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Tests.Seeds;
using TorchSharp;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>The default schedule, only shortened, on convolutional seeds of odd geometry and colour images: every
/// phase runs (feature-map growth, Taylor-scored partial areas, dead-unit pruning, distortions) and the pruned
/// network still computes.</summary>
public class OddSeedTests
{
    // Five classes told apart by a shift of every pixel's mean, with noise: learnable, but not at once.
    static ImageDataset Blobs(string name, int count, ulong seed)
    {
        using var generator = new Generator(seed);
        var labels = randint(0, 5, new long[] { count }, generator: generator);
        var shift = (labels.to_type(ScalarType.Float32) - 2) * 0.5f;
        var images = randn(new long[] { count, 3, 10, 12 }, generator: generator) * 0.5f + shift.view(-1, 1, 1, 1);
        return new ImageDataset(name, images, labels, 5);
    }

    static SynthesisResult Synthesize(ISeedNetwork network, bool augment)
    {
        using var train = Blobs("blobs/train", 600, 1);
        using var validation = Blobs("blobs/validation", 200, 2);
        using var kernels = new CpuMaskKernels();
        var d = new SynthesisSchedule();
        var schedule = d with
        {
            Training = d.Training with { Augment = augment, MinBatchesPerEpoch = 0, BatchSize = 32 },
            SeedEpochs = 1,
            ConvergeEpochs = 1,
            Growth = d.Growth with { Epochs = 1, MaxSteps = 2, MinGain = -1 },
            Pruning = d.Pruning with { Epochs = 1, MaxSteps = 4, Tolerance = 1 },
        };
        return new Synthesizer(schedule, kernels).Run(network, train, validation);
    }

    static void AssertPrunedAndComputing(ISeedNetwork network, SynthesisResult result)
    {
        var converged = result.History.Single(h => h.Phase == SynthesisPhase.Converge);
        Assert.True(result.History[^1].Connections < converged.Connections, "pruning removed connections");
        Assert.Contains(result.History, h =>
            h.Phase == SynthesisPhase.Grow && h.Connections > result.History[0].Connections);
        var module = (nn.Module<Tensor, Tensor>)network;
        module.eval();
        using var logits = module.forward(ones(4, 3, 10, 12));
        Assert.Equal(new long[] { 4, 5 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>(), "finite outputs");
    }

    [Fact]
    public void AStridedColourSeedWithoutPoolingSynthesizesUnderTheDefaults()
    {
        var network = new StridedColourNet(randomSeed: 0);
        AssertPrunedAndComputing(network, Synthesize(network, augment: false));
    }

    [Fact]
    public void AnOverlappingPoolSeedWithDropoutSynthesizesUnderTheDefaultsWithDistortions()
    {
        var network = new OverlappingPoolNet(randomSeed: 1);
        AssertPrunedAndComputing(network, Synthesize(network, augment: true));
    }
}
