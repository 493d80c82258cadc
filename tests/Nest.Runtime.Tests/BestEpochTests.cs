using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class BestEpochTests
{
    static TrainingProgress Epoch(int epoch, double validationError) =>
        new(epoch, 3, 1, 1, 0, 0, TimeSpan.Zero, null, new EpochResult(epoch, 0, 0, validationError, 0.05, 0));

    static void Fill(TinyNet net, float value)
    {
        using var _ = no_grad();
        net.Hidden.weight_orig.fill_(value);
    }

    [Fact]
    public void AClearlyWorseLastEpochGoesBackToTheBestOne()
    {
        using var net = new TinyNet(randomSeed: 1);
        using var best = new BestEpoch(net, validationCount: 1000);

        Fill(net, 1); best.Report(Epoch(1, 0.30));
        Fill(net, 2); best.Report(Epoch(2, 0.10));
        Fill(net, 3); best.Report(Epoch(3, 0.20));   // 10 points worse: about ten standard errors at 1,000 examples
        var said = best.RestoreIfClearlyBetter();

        Assert.Equal("kept epoch 2 of 3 (validation error 10.00%; 20.00% at the last epoch)", said?.Replace(" %", "%"));
        Assert.Equal(2f, net.Hidden.weight_orig.max().item<float>());
    }

    [Fact]
    public void ALastEpochWithinTheNoiseOfTheBestStays()
    {
        using var net = new TinyNet(randomSeed: 1);
        using var best = new BestEpoch(net, validationCount: 1000);

        Fill(net, 1); best.Report(Epoch(1, 0.100));
        Fill(net, 2); best.Report(Epoch(2, 0.105));   // half a point: within one standard error (about 0.95 points)

        Assert.Null(best.RestoreIfClearlyBetter());
        Assert.Equal(2f, net.Hidden.weight_orig.max().item<float>());
    }
}
