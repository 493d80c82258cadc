using Nest.Runtime.Reports;
using Nest.Runtime.Synthesis;
using Nest.Cli.Commands;

namespace Nest.Runtime.Tests;

public sealed class ReportPlotsTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-plots-").FullName;

    [Fact]
    public void BothPlotsAreWrittenAsPngImages()
    {
        var history = new List<SynthesisStep>
        {
            new(0, SynthesisPhase.Seed, 50_000, 50_400, 100_000, 0.03, 0, 0, true, 1),
            new(1, SynthesisPhase.Grow, 120_000, 120_500, 240_000, 0.015, 60, 0, true, 2),
            new(2, SynthesisPhase.Converge, 120_000, 120_500, 240_000, 0.011, 0, 0, true, 3),
            new(3, SynthesisPhase.Prune, 60_000, 60_300, 120_000, 0.012, 0, 5, true, 4),
            new(4, SynthesisPhase.Prune, 30_000, 30_200, 60_000, 0.020, 0, 0, false, 5),
            new(5, SynthesisPhase.Final, 60_000, 60_300, 120_000, 0.011, 0, 0, true, 6),
        };

        ReportPlots.Write(_folder, "test", history);

        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
        Assert.All(ReportPlots.FileNames, name =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(_folder, name));
            Assert.Equal(png, bytes[..4]);
            Assert.True(bytes.Length > 5_000, $"{name}: {bytes.Length} bytes, too small for a drawn plot");
        });
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
