using Nest.Cli;
using Nest.Cli.Commands;

namespace Nest.Runtime.Tests;

/// <summary>A run never destroys what it did not create: another run's folder is refused unless resumed or replaced on
/// request, a folder in use by another process is refused, and everything is checked before a file is
/// touched.</summary>
public sealed class RunFolderTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-run-folder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string Snapshot() => string.Join("\n", Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Order()
        .Select(f =>
            $"{Path.GetRelativePath(_folder, f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));

    void WriteEarlierRun()
    {
        File.WriteAllText(Path.Combine(_folder, "command.json"), """["--seed","lenet300"]""");
        Directory.CreateDirectory(Path.Combine(_folder, "checkpoints"));
        File.WriteAllBytes(Path.Combine(_folder, "checkpoints", "step-0003.nestckpt"), [1, 2, 3]);
    }

    [Fact]
    public void AFolderHoldingAnotherRunIsRefusedAndLeftAsItWas()
    {
        WriteEarlierRun();
        var before = Snapshot();

        var error = Assert.Throws<CommandFailedException>(() => RunFolder.Claim(_folder, "--out", mayHoldRun: false));

        Assert.Contains("holds another run (command.json)", error.Message);
        Assert.Contains("--resume", error.Message);
        Assert.Contains("--overwrite", error.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void ASecondProcessOnALockedFolderIsRefused()
    {
        using var first = RunFolder.Claim(_folder, "--out", mayHoldRun: false);

        var error = Assert.Throws<CommandFailedException>(() => RunFolder.Claim(_folder, "--resume", mayHoldRun: true));

        Assert.Contains($"another nest process is using '{_folder}'", error.Message);
    }

    [Fact]
    public void ALockLeftByADeadProcessIsTakenOverAndReleasedAtTheEnd()
    {
        WriteEarlierRun();
        File.WriteAllText(Path.Combine(_folder, RunFolder.LockName), "999999\n");

        using (RunFolder.Claim(_folder, "--resume", mayHoldRun: true))
            Assert.Throws<CommandFailedException>(() => RunFolder.Claim(_folder, "--resume", mayHoldRun: true));

        Assert.False(File.Exists(Path.Combine(_folder, RunFolder.LockName)));
    }

    [Fact]
    public void AnEmptyOutIsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => RunFolder.Claim("", "--out", mayHoldRun: false));

        Assert.Equal("--out must name a folder (got an empty path)", error.Message);
    }

    [Fact]
    public async Task TrainRefusesTheFolderOfASynthesisBeforeTraining()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 64, test: 16);
        File.WriteAllText(Path.Combine(_folder, "report.json"), "{}");
        var before = Snapshot();
        string[] args =
            ["--seed", "tabular64", "--data", files.Folder, "--out", _folder, "--validation", "8", "--epochs", "1",
                "--lr", "0.05"];

        var error =
            await Assert.ThrowsAsync<CommandFailedException>(() =>
                TrainCommand.RunAsync(new Arguments(args, TrainCommand.Flags), TextWriter.Null, default));

        Assert.Contains("holds another run (report.json)", error.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task DataOfAnotherShapeIsRefusedNamingBothShapesAndNothingIsWritten()
    {
        using var files = new IdxFiles().WriteQuadrants(train: 64, test: 16);
        var output = Path.Combine(_folder, "new-run");
        string[] args = ["--seed", "lenet300", "--data", files.Folder, "--out", output, "--validation", "8"];

        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            SynthesizeCommand.RunAsync(new Arguments(args, SynthesizeCommand.Flags), args, TextWriter.Null, default));

        Assert.Contains("has inputs of shape [1, 8, 8] (64 values), but seed 'LeNet300' takes { 784 }", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task AMomentumTheTrainerRefusesIsAUsageErrorNamingTheOption()
    {
        string[] args = ["--seed", "lenet300", "--momentum", "1", "--out", Path.Combine(_folder, "train")];

        var error =
            await Assert.ThrowsAsync<UsageException>(() =>
                TrainCommand.RunAsync(new Arguments(args, TrainCommand.Flags), TextWriter.Null, default));

        Assert.Equal("--momentum must be in [0, 1)", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "train")));
    }

    [SkippableFact]
    public async Task CudaKernelsWithoutCudaFailBeforeAnythingIsWritten()
    {
        Skip.If(Nest.Runtime.Kernels.IlgpuMaskKernels.TryCreateCuda() is { } cuda && Dispose(cuda),
            "this machine has CUDA");
        var output = Path.Combine(_folder, "run");
        string[] args = ["--seed", "lenet300", "--kernels", "cuda", "--out", output];

        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            SynthesizeCommand.RunAsync(new Arguments(args, SynthesizeCommand.Flags), args, TextWriter.Null, default));

        Assert.StartsWith("--kernels cuda: The CUDA backend was asked for but cannot run", error.Message);
        Assert.False(Directory.Exists(output));
    }

    static bool Dispose(IDisposable d)
    {
        d.Dispose();
        return true;
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("NaN")]
    public void ANonFiniteValueIsRefusedWhenParsed(string value)
    {
        var args = new Arguments(["--stop-at", value], SynthesizeCommand.Flags);

        var error = Assert.Throws<UsageException>(() => args.Double("stop-at", 0));

        Assert.Equal($"--stop-at must be a finite number (got '{value}')", error.Message);
    }

    [Fact]
    public void AReportKeepsAnInfiniteCompression()
    {
        var json = CommandData.ToJson(new { compression = new { flops = double.PositiveInfinity } });

        Assert.Contains("\"flops\": \"Infinity\"", json);
    }
}
