using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Reports;
using Nest.Runtime.Synthesis;
using Nest.Runtime.Training;

namespace Nest.Runtime.Tests;

/// <summary>A program that runs the synthesizer itself gets the command line's report from the library.</summary>
public sealed class SynthesisReportsTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-reports-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AReportMadeFromCodeDescribesTheNetworkItWasGivenAndItsFilesReadBack()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 256, test: 64);
        using var data = IdxDataset.Load(files.Folder, validationCount: 64);
        using var kernels = new CpuMaskKernels();
        var schedule = TestSchedules.Plain with
        {
            Training = new TrainingOptions { BatchSize = 64 },
            RateCheckBatches = 0, SeedEpochs = 1,
            Growth = TestSchedules.Plain.Growth with { MaxSteps = 1, Epochs = 1, GradientBatches = 2 },
            Pruning = TestSchedules.Plain.Pruning with { Epochs = 1, MaxSteps = 2, Tolerance = 1 },
        };
        using var net = new TinyConvNet(randomSeed: 5);
        var result = new Synthesizer(schedule, kernels).Run(net, data.Train, data.Validation);

        var report = SynthesisReports.Create(result, net, schedule, testError: 0.125);
        var written = SynthesisReports.Write(Path.Combine(_folder, "run"), report, TinyConvNet.Topology);

        // Counted here from the masks themselves, not through the library's cost measure.
        var live = net.Conv.weight_mask.count_nonzero().item<long>() + net.Out.weight_mask.count_nonzero().item<long>();
        Assert.Equal(live, report.Final!.Connections);
        Assert.Equal(0.125, report.Final.TestError);
        Assert.Equal(result.History[^1].ValidationError, report.Final.ValidationError);
        var reference = (double)TinyConvNet.Topology.ReferenceParameters;
        Assert.Equal(reference / report.Final.Parameters, report.Compression!.Parameters);
        var phases = result.History.Select(h => h.Phase.ToString().ToLowerInvariant());
        Assert.Equal(phases, report.History.Select(h => h.Phase));
        if (OperatingSystem.IsLinux())
            Assert.All(report.History, h => Assert.True(h.ResidentBytes > 1 << 20, $"step {h.Step}"));
        Assert.Equal(["report.json", "report.md"], written.Select(Path.GetFileName));
        Assert.All(ReportPlots.FileNames, f => Assert.True(File.Exists(Path.Combine(_folder, "run", f)), f));
        var read = SynthesisReport.Read(written[0]);
        Assert.Equal(report.Final.Parameters, read.Final!.Parameters);
        Assert.Equal(report.History.Count, read.History.Count);
        Assert.Contains(nameof(TinyConvNet), File.ReadAllText(written[1]));
    }
}
