using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public class SparseVariationalDropoutTests
{
    /// <summary>A 3-in, 2-out layer with weights [[1, 0.1, 2], [0.5, 1, 0]], the last one masked.</summary>
    static MaskedLinear SmallLayer()
    {
        var layer = new MaskedLinear(3, 2, name: "Small");
        using (no_grad())
        {
            layer.weight_orig.copy_(tensor(new float[] { 1, 0.1f, 2, 0.5f, 1, 0 }).reshape(2, 3));
            layer.weight_mask.copy_(tensor(new float[] { 1, 1, 1, 1, 1, 0 }).reshape(2, 3));
            layer.bias!.copy_(tensor(new float[] { 0.5f, -1 }));
        }
        return layer;
    }

    /// <summary>Sets log sigma^2 so that each position's log alpha is the given value.</summary>
    static void SetLogAlpha(SparseVariationalDropout dropout, MaskedLayer layer, float[] logAlpha)
    {
        using var _ = no_grad();
        var w2 = layer.weight.square() + 1e-8f;
        dropout.Parameters.Single().copy_(w2.log() + tensor(logAlpha).reshape(layer.weight_orig.shape));
    }

    [Fact]
    public void SparsifyMasksExactlyTheLiveWeightsWhoseLogAlphaIsOverTheThreshold()
    {
        using var layer = SmallLayer();
        using var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 100, threshold: 3);
        SetLogAlpha(dropout, layer, new float[] { -5, 4, 2, 5, -1, 9 });

        var removed = dropout.Sparsify();

        Assert.Equal(2, removed);   // (0, 1) and (1, 0); (1, 2) was masked already
        Assert.Equal(new float[] { 1, 0, 1, 0, 1, 0 }, layer.weight_mask.flatten().data<float>().ToArray());
        Assert.Equal(new float[] { 1, 0, 2, 0, 1, 0 }, layer.weight_orig.flatten().data<float>().ToArray());
    }

    [Fact]
    public void TheNoisyTrainingPassHasThePlainMeanAndTheLocalReparameterizationVariance()
    {
        using var layer = SmallLayer();
        using var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 100);
        SetLogAlpha(dropout, layer, new float[] { 0, 0, 0, 0, 0, 0 });   // sigma^2 = w^2
        layer.train();
        manual_seed(3);
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, -2, 0.5f });

        var outputs = layer.forward(x.unsqueeze(0).expand(40000, 3));

        // Mean x W^T + b = (1 - 0.2 + 1 + 0.5, 0.5 - 2 - 1); variance x^2 sigma^2 over live weights = (1 + 0.04 + 1,
        // 0.25 + 4).
        var mean = outputs.mean(new long[] { 0 }).data<float>().ToArray();
        var variance = outputs.var(0).data<float>().ToArray();
        Assert.Equal(2.3, mean[0], 1);
        Assert.Equal(-2.5, mean[1], 1);
        Assert.InRange(variance[0], 2.04 * 0.95, 2.04 * 1.05);
        Assert.InRange(variance[1], 4.25 * 0.95, 4.25 * 1.05);
    }

    [Fact]
    public void EvaluationComputesWithTheWeightsSparsifyWouldKeep()
    {
        using var layer = SmallLayer();
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, -2, 0.5f, 3, 1, -1 }).reshape(2, 3);
        Tensor during;
        using (var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 100))
        {
            SetLogAlpha(dropout, layer, new float[] { -5, 4, 2, 5, -1, 9 });
            layer.eval();
            during = layer.forward(x);
            dropout.Sparsify();
        }

        var after = layer.forward(x);

        Assert.True(TensorAssert.Same(during, after));
    }

    [Fact]
    public void TheDivergenceFallsAsLogAlphaGrowsAndLeavesMaskedWeightsOut()
    {
        using var layer = SmallLayer();
        using var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 100);
        double Divergence(float logAlpha, float masked)
        {
            SetLogAlpha(dropout, layer, new float[] { logAlpha, logAlpha, logAlpha, logAlpha, logAlpha, masked });
            using var d = dropout.Divergence();
            return d.item<float>();
        }

        var low = Divergence(-4, 0);
        var middle = Divergence(0, 0);
        var high = Divergence(4, 0);

        Assert.True(low > middle && middle > high && high >= 0, $"{low} > {middle} > {high} >= 0");
        Assert.Equal(middle, Divergence(0, -6), 5);   // the masked position's log alpha changes nothing
    }

    [Fact]
    public void TheCostExponentMultipliesEachLiveWeightsDivergenceByItsCostToThatPower()
    {
        using var layer = SmallLayer();
        float[] logAlpha = { -4, -4, -4, 0, 0, 0 };
        Tensor unweighted;
        using (var plain = new SparseVariationalDropout(new[] { layer }, trainingImages: 100))
        {
            SetLogAlpha(plain, layer, logAlpha);
            unweighted = plain.Divergence();
        }
        // The first output's three weights cost per example 1, 4 and 16 multiply-accumulates, the second's 0.5 (counted
        // as 1).
        var costs = new Dictionary<MaskedLayer, float[]> { [layer] = new float[] { 1, 4, 16, 0.5f, 0.5f, 0.5f } };
        using var weighted =
            new SparseVariationalDropout(new[] { layer }, trainingImages: 100, connectionCosts: costs,
                costExponent: 0.5);
        SetLogAlpha(weighted, layer, logAlpha);

        using var d = weighted.Divergence();

        // Per weight the KL depends on log alpha alone: k(-4) for each of the first row, k(0) for the two live ones of
        // the second.
        using var one = DivergenceOfOne(-4);
        using var zero = DivergenceOfOne(0);
        Assert.Equal(3 * one.item<float>() + 2 * zero.item<float>(), unweighted.item<float>(), 4);
        Assert.Equal((1 + 2 + 4) * one.item<float>() + 2 * zero.item<float>(), d.item<float>(), 4);
    }

    [Fact]
    public void ConnectionCostsOfTheWrongLengthAreRefusedNamingTheLayer()
    {
        using var layer = SmallLayer();
        var costs = new Dictionary<MaskedLayer, float[]> { [layer] = new float[] { 1, 2 } };

        var error =
            Assert.Throws<ArgumentException>(() =>
                new SparseVariationalDropout(new[] { layer }, trainingImages: 100, connectionCosts: costs,
                    costExponent: 1));

        Assert.Contains("'Small'", error.Message);
        Assert.Null(layer.Noise);
    }

    /// <summary>The KL divergence of one live weight at the given log alpha.</summary>
    static Tensor DivergenceOfOne(float logAlpha)
    {
        using var layer = new MaskedLinear(1, 1, name: "One");
        using (no_grad()) layer.weight_orig.fill_(1);
        using var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 1);
        SetLogAlpha(dropout, layer, new[] { logAlpha });
        return dropout.Divergence();
    }

    [Fact]
    public void TheKlTermRisesOverTheWarmupAndIsPerTrainingImage()
    {
        using var layer = SmallLayer();
        using var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 100, warmup: 0.5);
        using var full = dropout.Divergence();

        using var start = dropout.Loss(0);
        using var quarter = dropout.Loss(0.25);
        using var end = dropout.Loss(1);

        Assert.Equal(0, start.item<float>());
        Assert.Equal(full.item<float>() / 200, quarter.item<float>(), 5);
        Assert.Equal(full.item<float>() / 100, end.item<float>(), 5);
    }

    [Fact]
    public void DisposingDetachesEveryLayerAndASecondAttachmentIsRefusedByName()
    {
        using var layer = SmallLayer();
        var dropout = new SparseVariationalDropout(new[] { layer }, trainingImages: 100);
        Assert.Same(dropout, layer.Noise);

        var error =
            Assert.Throws<InvalidOperationException>(() =>
                new SparseVariationalDropout(new[] { layer }, trainingImages: 100));
        Assert.Contains("'Small'", error.Message);

        dropout.Dispose();
        Assert.Null(layer.Noise);
    }

    [Fact]
    public void TrainingWithTheKlTermMasksNoiseInputsAndStillClassifies()
    {
        // The quadrant images: a bright 3x3 patch in one quadrant over dim noise. Many pixels carry
        // nothing, so the prior drives their weights' dropout rates up.
        using var files = new IdxFiles().WriteQuadrants(train: 600, test: 200);
        using var data = IdxDataset.Load(files.Folder, validationCount: 100);
        using var net = new QuadrantNet(randomSeed: 1);
        new Trainer(new TrainingOptions { Epochs = 3, BatchSize = 32 }).Train(net, data.Train);
        var liveBefore = net.Hidden.LiveConnections + net.Out.LiveConnections;
        using var dropout = new SparseVariationalDropout(new[] { net.Hidden, net.Out }, data.Train.Count, warmup: 0);
        var logSigma2Before = dropout.Parameters.First().clone();

        new Trainer(
            new TrainingOptions { Epochs = 30, BatchSize = 32, Optimizer = OptimizerKind.Adam, LearningRate = 0.01,
            WeightDecay = 0 })
            .Train(net, data.Train, lossTerm: dropout);
        var removed = dropout.Sparsify();

        Assert.False(TensorAssert.Same(logSigma2Before, dropout.Parameters.First()),
            "the trainer trains the term's parameters");
        Assert.True(removed > liveBefore / 4, $"{removed} of {liveBefore} live weights masked");
        Assert.True(Evaluation.ErrorRate(net, data.Test) < 0.1, "chance is 0.75");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]   // with the cost factor: the convolution's costs are read from the network
    public void AVariationalStepPrecedesMagnitudePruningAsAPruningStep(double costExponent)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 512, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64, Augment = false },
            SeedEpochs = 2,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
            Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 1, Tolerance = 1 },
            Variational =
                TestSchedules.Plain.Variational with { Epochs = 10, LearningRate = 0.01, Warmup = 0, CostExponent =
                    costExponent },
        };
        using var net = new TinyConvNet(randomSeed: 3);

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        Assert.Equal(new[] { SynthesisPhase.Seed, SynthesisPhase.Prune, SynthesisPhase.Prune, SynthesisPhase.Final },
            result.History.Select(h => h.Phase));
        Assert.True(result.History[1].Connections < result.History[0].Connections,
            "the variational step masks connections");
        Assert.True(result.History[2].Connections < result.History[1].Connections,
            "magnitude pruning goes on from its network");
        Assert.All(net.modules().OfType<MaskedLayer>(), l => Assert.Null(l.Noise));
    }
}
