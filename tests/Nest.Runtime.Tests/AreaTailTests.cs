using Nest.Runtime.Growth;
using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Pruning;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>The area tail (<see cref="SynthesisSchedule.AreaTailSteps"/>): steps of partial-area pruning alone
/// once connection pruning has ended.</summary>
public class AreaTailTests
{
    static SynthesisSchedule Schedule => TestSchedules.Plain with
    {
        Training = new TrainingOptions { BatchSize = 64, Augment = false },
        SeedEpochs = 1,
        Growth = TestSchedules.Plain.Growth with { MaxSteps = 0 },
        Pruning = TestSchedules.Plain.Pruning with { Fraction = 0.2, Epochs = 1, MaxSteps = 1, Tolerance = 1 },
        Area = TestSchedules.Plain.Area with { Fraction = 0.25, TailSteps = 2 },
    };

    [Fact]
    public void TailStepsMaskAreaAloneAndLowerTheFlops()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var connectionSteps = 0;
        var synthesizer = new Synthesizer(Schedule, kernels);
        synthesizer.ConnectionPruning = step =>
        {
            connectionSteps++;
            return new MagnitudePruning(step.Fraction);
        };

        var result = synthesizer.Run(net, data.Train, data.Validation);

        var pruned = result.History.Where(h => h.Phase == SynthesisPhase.Prune).ToList();
        Assert.Equal(3, pruned.Count);
        Assert.Equal(1, connectionSteps);
        Assert.True(pruned[1].Flops < pruned[0].Flops && pruned[2].Flops < pruned[1].Flops,
            "each tail step lowers the FLOPs");
        Assert.All(pruned.Skip(1), h => Assert.True(h.Parameters <= pruned[0].Parameters));
    }

    /// <summary>Masks every weight of the network's convolution and says it masked area: a step no retraining recovers
    /// from.</summary>
    sealed class Ruinous(TinyConvNet net) : IPruningPolicy
    {
        public string Name => "ruin";

        public PruningOutcome Prune(ISeedNetwork network, IMaskKernels kernels)
        {
            using var _ = no_grad();
            net.Conv.weight_mask.zero_();
            return new PruningOutcome(0, 0, 1);
        }
    }

    [Fact]
    public void AnUndoneTailStepHalvesTheAreaFractionUntilItFallsBelowTheMinimum()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var fractions = new List<double>();
        var schedule =
            Schedule with { Pruning = Schedule.Pruning with { MaxSteps = 0, Tolerance = 0.05, MinFraction = 0.01 },
                Area = Schedule.Area with { Fraction = 0.1, TailSteps = 10 } };
        var synthesizer = new Synthesizer(schedule, kernels)
        {
            AreaPruning = (fraction, _, _) =>
            {
                fractions.Add(fraction);
                return new Ruinous(net);
            },
        };

        var result = synthesizer.Run(net, data.Train, data.Validation);

        Assert.Equal(new[] { 0.1, 0.05, 0.025, 0.0125 }, fractions);
        Assert.All(result.History.Where(h => h.Phase == SynthesisPhase.Prune), h => Assert.False(h.Accepted));
        Assert.Equal(result.History[0].Connections, NetworkCost.Measure(net).Connections);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheTailStopsOnceTheFlopsBudgetIsMet(bool metBeforeTheTail)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        using var net = new TinyConvNet(randomSeed: 3);
        var reference = (double)((ISeedNetwork)net).Topology.ReferenceFlops;
        var seedCompression = reference / NetworkCost.Measure(net).Flops;
        // Met by the seed itself, or just above it: the first tail step's 25% of the area crosses it.
        var budget = metBeforeTheTail ? seedCompression : seedCompression * 1.01;
        var schedule =
            Schedule with { Pruning = Schedule.Pruning with { MaxSteps = 0 }, Area =
                Schedule.Area with { TailSteps = 5, StopAtFlopsCompression = budget } };

        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var tail = result.History.Where(h => h.Phase == SynthesisPhase.Prune).ToList();
        Assert.Equal(metBeforeTheTail ? 0 : 1, tail.Count);
        Assert.All(tail, h => Assert.True(reference / h.Flops >= budget));
    }
}
