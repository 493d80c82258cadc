using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class AreaDropoutTests
{
    /// <summary>One input map, two output maps, 2x2 kernels over a 3x3 input: a 2x2 output per map, every weight 1,
    /// biases 0.5 and -1, the area mask on (per pair).</summary>
    static MaskedConv2d SmallConv()
    {
        var conv = new MaskedConv2d(1, 2, kernel: 2, name: "Small");
        using (no_grad())
        {
            conv.weight_orig.fill_(1);
            conv.bias!.copy_(tensor(new float[] { 0.5f, -1 }));
        }
        conv.EnableAreaMask(2, 2);
        return conv;
    }

    /// <summary>Every weight's log alpha far under the threshold; each gate's theta and log alpha as given, per map
    /// then position.</summary>
    static void SetGates(SparseVariationalDropout dropout, float[] theta, float[] logAlpha)
    {
        using var _ = no_grad();
        var parameters = dropout.Parameters.ToList();   // the weights' log sigma^2, then theta and log sigma^2
        parameters[0].fill_(-40);
        var t = tensor(theta).reshape(1, 2, 2, 2);
        parameters[1].copy_(t);
        parameters[2].copy_(tensor(logAlpha).reshape(1, 2, 2, 2) + t.square().log());
    }

    [Fact]
    public void SparsifyMasksTheLivePositionsOverTheThresholdAndFoldsEachMapsKeptGateIntoItsKernel()
    {
        using var conv = SmallConv();
        using var dropout = new SparseVariationalDropout(new[] { conv }, trainingImages: 100, threshold: 3,
            areaLayers: new[] { conv });
        // Map 0 keeps positions 0 and 3 (theta 0.5 and 1.5: mean 1); map 1 loses every position.
        SetGates(dropout, new float[] { 0.5f, 2, 2, 1.5f, 1, 1, 1, 1 }, new float[] { -2, 4, 3.5f, 2.9f, 5, 6, 7, 8 });

        var outcome = dropout.Sparsify();

        Assert.Equal(6, outcome.AreaPositionsRemoved);
        Assert.Equal(new float[] { 1, 0, 0, 1, 0, 0, 0, 0 }, conv.area_mask!.flatten().data<float>().ToArray());
        Assert.Equal(4, outcome.ConnectionsRemoved);   // map 1's kernel computes nowhere
        Assert.Equal(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }, conv.weight_orig.flatten().data<float>().ToArray());
    }

    [Fact]
    public void WhereAMapsGatesAgreeTheEvaluationPassIsTheSparsifiedNetworks()
    {
        using var conv = SmallConv();
        using var scope = NewDisposeScope();
        var x = arange(18, dtype: ScalarType.Float32).reshape(2, 1, 3, 3) / 9;
        Tensor during;
        using (var dropout = new SparseVariationalDropout(new[] { conv }, trainingImages: 100,
            areaLayers: new[] { conv }))
        {
            SetGates(dropout, new float[] { 0.5f, 0.5f, 0.5f, 0.5f, 2, 2, 2, 2 },
                new float[] { -2, 4, -1, 5, 0, 0, 9, 1 });
            conv.eval();
            during = conv.forward(x);
            dropout.Sparsify();
        }

        var after = conv.forward(x);

        // Masked positions give the bias alone; kept ones the convolution times the map's gate, plus the bias.
        Assert.Equal(0.5f, after[0, 0, 0, 1].item<float>(), 5);
        Assert.True(TensorAssert.Same(during, after));
    }

    [Fact]
    public void TheNoisyPassGatesTheOutputBeforeTheBias()
    {
        using var conv = SmallConv();
        using var dropout = new SparseVariationalDropout(new[] { conv }, trainingImages: 100,
            areaLayers: new[] { conv });
        // theta 2 and log alpha 0 (sigma = theta) at every position: mean 2c + b, variance 4c^2 for the plain output c.
        SetGates(dropout, Enumerable.Repeat(2f, 8).ToArray(), new float[8]);
        conv.train();
        manual_seed(5);
        using var scope = NewDisposeScope();
        var x = ones(40000, 1, 3, 3);

        var outputs = conv.forward(x);

        // c = 4 (four weights of 1 over ones) everywhere.
        var mean = outputs.mean(new long[] { 0 }).flatten().data<float>().ToArray();
        var variance = outputs.var(0).flatten().data<float>().ToArray();
        Assert.All(mean[..4], m => Assert.InRange(m, 8.5 - 0.15, 8.5 + 0.15));
        Assert.All(mean[4..], m => Assert.InRange(m, 7 - 0.15, 7 + 0.15));
        Assert.All(variance, v => Assert.InRange(v, 64 * 0.95, 64 * 1.05));
    }

    [Fact]
    public void AConvolutionWithoutAnAreaMaskIsRefusedByNameAndNothingIsAttached()
    {
        using var conv = new MaskedConv2d(1, 2, kernel: 2, name: "Plain");

        var error = Assert.Throws<ArgumentException>(() =>
            new SparseVariationalDropout(new[] { conv }, trainingImages: 100, areaLayers: new[] { conv }));

        Assert.Contains("'Plain'", error.Message);
        Assert.Null(conv.Noise);
    }

    [Fact]
    public void AVariationalStepWithAreaDropoutMasksAreaPositionsOfTheConvolution()
    {
        // Quadrant images: a bright patch in one quadrant over dim noise, so much of the convolution's output carries
        // little the classifier needs.
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = SparseVariationalDropoutTests.VariationalStep(pruningSteps: 0) with
        {
            Area = TestSchedules.Plain.Area with { Fraction = 0.1 },
        };
        schedule = schedule with { Variational = schedule.Variational with { Area = true } };
        using var net = new TinyConvNet(randomSeed: 3);

        new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var area = net.Conv.area_mask;
        Assert.NotNull(area);
        var live = area!.count_nonzero().item<long>();
        Assert.InRange(live, 1, area.numel() - 1);
        Assert.Null(net.Conv.Noise);
    }
}
