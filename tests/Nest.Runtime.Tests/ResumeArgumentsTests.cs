using Nest.Cli;
using Nest.Cli.Commands;

namespace Nest.Runtime.Tests;

/// <summary><c>nest synthesize --resume DIR</c>: the options of the run that wrote DIR.</summary>
public sealed class ResumeArgumentsTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-resume-").FullName;

    [Fact]
    public void TheSavedOptionsComeBackWithOnlyTheOverridableOnesReplaced()
    {
        File.WriteAllText(Path.Combine(_folder, ResumeArguments.FileName),
            """["--seed","lenet5","--threads","2","--stop-at","100","--no-progress"]""");

        var merged = ResumeArguments.Merge(["--resume", _folder, "--threads", "1"], SynthesizeCommand.Flags);

        Assert.Equal(
            ["--seed", "lenet5", "--stop-at", "100", "--no-progress", "--threads", "1", "--out", _folder, "--resume",
            _folder], merged);
    }

    [Fact]
    public void AnOptionThatWouldChangeTheRunIsRefusedByName()
    {
        var error =
            Assert.Throws<UsageException>(() =>
                ResumeArguments.Merge(["--resume", _folder, "--stop-at", "50"], SynthesizeCommand.Flags));

        Assert.Contains("--stop-at cannot be given with --resume", error.Message);
    }

    [Fact]
    public void AFolderWithoutItsCommandFileFailsNamingTheFolder()
    {
        var error =
            Assert.Throws<CommandFailedException>(() =>
                ResumeArguments.Merge(["--resume=" + _folder], SynthesizeCommand.Flags));

        Assert.Contains(_folder, error.Message);
        Assert.Contains(ResumeArguments.FileName, error.Message);
    }

    [Fact]
    public void WithoutResumeTheOptionsAreAsGiven()
    {
        string[] given = ["--seed", "lenet300", "--stop-at", "50"];

        Assert.Same(given, ResumeArguments.Merge(given, SynthesizeCommand.Flags));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
