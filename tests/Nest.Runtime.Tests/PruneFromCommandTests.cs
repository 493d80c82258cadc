using System.Security.Cryptography;
using Nest.Cli;

namespace Nest.Runtime.Tests;

/// <summary><c>nest synthesize --prune-from DIR</c>: the converged network of an earlier run pruned again under other
/// pruning options into a new folder, the earlier run only read; refused, naming why, when the run differs before
/// pruning or there is no converged network.</summary>
[Collection(nameof(Alone))]
public sealed class PruneFromCommandTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-prune-from-").FullName;
    readonly IdxFiles _data = new IdxFiles().WriteQuadrants(train: 200, test: 40);

    public void Dispose()
    {
        _data.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    string Dir(string name) => Path.Combine(_folder, name);

    // A short synthesis of the tabular seed on 8x8 images (64 values).
    string[] Command(string output, params string[] more) =>
    [
        "synthesize", "--seed", "tabular64", "--data", _data.Folder, "--validation", "40", "--rate-check", "0",
        "--seed-epochs", "1", "--growth-steps", "1", "--growth-epochs", "1", "--converge-epochs", "1",
        "--prune-epochs", "1", "--prune-steps", "2",
        "--no-progress", "--threads", "1", "--out", output, .. more,
    ];

    static async Task<(int Code, string Output, string Error)> Run(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await NestApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    static Dictionary<string, string> Hashes(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(RunFolder.LockName))
            .ToDictionary(f => Path.GetRelativePath(folder, f),
                f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task AConvergedRunPrunedAgainMatchesAFreshRunUnderThoseOptionsAndIsLeftAsItWas()
    {
        var (first, _, firstError) = await Run(Command(Dir("first")));
        Assert.True(first == 0, firstError);
        Assert.True(File.Exists(Path.Combine(Dir("first"), "checkpoints", "converged.nestckpt")));
        var before = Hashes(Dir("first"));
        string[] other = ["--prune-fraction", "0.5", "--limit-se", "6"];

        var (fresh, _, freshError) = await Run(Command(Dir("fresh"), other));
        var (again, output, againError) = await Run(Command(Dir("again"), [.. other, "--prune-from", Dir("first")]));

        Assert.True(fresh == 0, freshError);
        Assert.True(again == 0, againError);
        Assert.Contains("pruning again the converged network of", output);
        Assert.Equal(before, Hashes(Dir("first")));
        Assert.Equal(History(Dir("fresh")), History(Dir("again")));
    }

    [Fact]
    public async Task PruningAgainUnderOtherLoopOptionsGoesOnFromTheSparsifiedNetworkAndEndsAsAFreshRun()
    {
        Assert.Equal(0, (await Run(Command(Dir("first"), "--variational-epochs", "1"))).Code);
        string[] other = ["--variational-epochs", "1", "--prune-fraction", "0.5"];

        var (fresh, _, freshError) = await Run(Command(Dir("fresh"), other));
        var (again, output, againError) = await Run(Command(Dir("again"), [.. other, "--prune-from", Dir("first")]));
        var (step, stepOutput, stepError) =
            await Run(Command(Dir("step"), "--variational-epochs", "2", "--prune-from", Dir("first")));

        Assert.True(fresh == 0, freshError);
        Assert.True(again == 0, againError);
        Assert.Contains("going on from its sparsified network", output);
        Assert.Equal(History(Dir("fresh")), History(Dir("again")));
        Assert.True(step == 0, stepError);
        Assert.Contains("another Variational.Epochs setting", stepOutput);
    }

    [Fact]
    public async Task PruningAgainIsRefusedNamingWhyAndWritesNothing()
    {
        Assert.Equal(0, (await Run(Command(Dir("first")))).Code);
        Directory.CreateDirectory(Dir("empty"));

        var (grown, _, grownError) =
            await Run(Command(Dir("grown"), "--neuron-growth", "0.5", "--prune-from", Dir("first")));
        var (none, _, noneError) = await Run(Command(Dir("none"), "--prune-from", Dir("empty")));
        var (itself, _, itselfError) = await Run(Command(Dir("first"), "--prune-from", Dir("first"), "--overwrite"));

        Assert.Equal(1, grown);
        Assert.Contains("another Growth setting", grownError);
        Assert.Equal(1, none);
        Assert.Contains(Path.Combine("empty", "checkpoints", "converged.nestckpt"), noneError);
        Assert.Equal(2, itself);
        Assert.Contains("--out must not be the --prune-from folder", itselfError);
        Assert.False(Directory.Exists(Dir("grown")));
        Assert.False(Directory.Exists(Dir("none")));
        Assert.True(File.Exists(Path.Combine(Dir("first"), "report.json")));
    }

    // Each step's size and validation error, from the report.
    static List<string> History(string run)
    {
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "report.json")));
        return report.RootElement.GetProperty("history").EnumerateArray()
            .Select(h => $"{h.GetProperty("phase")} {h.GetProperty("connections")} {h.GetProperty("validationError")}")
            .ToList();
    }
}
