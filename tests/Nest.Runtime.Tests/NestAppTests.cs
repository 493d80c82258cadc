using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Nest.Cli;

namespace Nest.Runtime.Tests;

/// <summary>The command line as System.CommandLine parses it: exit codes, help, response files, completion, and every
/// option a command reads declared to the parser.</summary>
public sealed partial class NestAppTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-app-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await NestApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task AnUnknownOptionExitsWithTwoNamingIt()
    {
        var (code, _, error) = await Run("inspect", "--seed", "lenet300", "--bogus", "1");

        Assert.Equal(2, code);
        Assert.Contains("'--bogus'", error);
    }

    [Fact]
    public async Task ARemovedOptionExitsWithTwoSayingWhyItWasRemoved()
    {
        var run = Path.Combine(_folder, "run");

        var (code, _, error) = await Run("synthesize", "--seed", "lenet300", "--final-epochs", "4", "--out", run);

        Assert.Equal(2, code);
        Assert.Contains("'--final-epochs'", error);
        Assert.Contains("--final-epochs was removed: fine-tuning the kept network raised its validation error", error);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public async Task NoOptionThatSynthesizeReadsIsListedAsRemoved()
    {
        var (_, help, _) = await Run("synthesize", "--help");

        Assert.All(RemovedOptions.Names, name => Assert.DoesNotContain(name + " ", help));
        Assert.Contains("--prune-fraction ", help);
    }

    [Fact]
    public async Task ARepeatedOptionExitsWithTwo()
    {
        var (code, _, error) = await Run("synthesize", "--resume", "/tmp/a", "--resume", "/tmp/b");

        Assert.Equal(2, code);
        Assert.Contains("'--resume' expects a single argument but 2 were provided", error);
    }

    [Fact]
    public async Task AValueTheCommandRefusesExitsWithTwoNamingTheOption()
    {
        var (code, _, error) = await Run("train", "--seed", "lenet300", "--epochs", "ten");

        Assert.Equal(2, code);
        Assert.Contains("--epochs must be an integer (got 'ten')", error);
    }

    [Fact]
    public async Task OptionsAreReadFromAResponseFile()
    {
        var file = Path.Combine(_folder, "inspect.rsp");
        File.WriteAllLines(file, ["--seed", "lenet5"]);

        var (code, output, _) = await Run("inspect", "@" + file);

        Assert.Equal(0, code);
        Assert.StartsWith("LeNet5 (LeNet5): input [1, 28, 28], 10 classes", output);
    }

    [Fact]
    public async Task SynthesizeHelpListsTheScheduleOptionsWithTheirDefaults()
    {
        var (code, output, _) = await Run("synthesize", "--help");

        Assert.Equal(0, code);
        Assert.Matches(@"--prune-fraction <X>\s+the largest share .*\(default 0\.2\)", output);
        Assert.Contains("--limit-se <X>", output);
    }

    [Fact]
    public async Task CompletionSuggestsACommandFromItsStart()
    {
        var (code, output, _) = await Run("[suggest]", "synth");

        Assert.Equal(0, code);
        Assert.Equal("synthesize", output.Trim());
    }

    [Fact]
    public async Task NoCommandShowsTheHelpAndExitsWithTwo()
    {
        var (code, output, _) = await Run();

        Assert.Equal(2, code);
        Assert.Contains("synthesize", output);
        Assert.Contains("Seeds: LeNet300", output);
    }

    // The oracle is the commands' source: every option name they read with args.X("name") must be declared to the
    // parser for that command, or the parser would refuse an option the command takes.
    [Theory]
    [InlineData("synthesize", "Commands/SynthesizeCommand.cs", "CommandData.cs")]
    [InlineData("train", "Commands/TrainCommand.cs", "CommandData.cs")]
    [InlineData("inspect", "Commands/InspectCommand.cs")]
    [InlineData("export", "Commands/ExportCommand.cs")]
    [InlineData("plot", "Commands/PlotCommand.cs")]
    [InlineData("latency", "Commands/LatencyCommand.cs")]
    [InlineData("fetch-data", "Commands/FetchDataCommand.cs")]
    public void EveryOptionACommandReadsIsDeclaredToTheParser(string verb, params string[] files)
    {
        var read =
            files.SelectMany(f =>
                ReadOption().Matches(File.ReadAllText(Path.Combine(CliFolder(), f))).Select(m =>
                    m.Groups[1].Value)).ToHashSet();
        if (verb == "synthesize")
            foreach (var name in Regex.Matches(
                File.ReadAllText(Path.Combine(CliFolder(), "Commands/SynthesisOptions.cs")),
                "(?:Int|Number|Optional|OptionalInt|Choice<\\w+>|new)\\(\"([a-z-]+)\"").Select(m => m.Groups[1].Value))
                read.Add(name);
        var declared = NestCommandLine.Verbs.Single(v => v.Name == verb).Options.Select(o => o.Name).ToHashSet();

        Assert.NotEmpty(read);
        Assert.Empty(read.Except(declared));
    }

    static string CliFolder([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "../../Nest.Cli"));

    [GeneratedRegex("args\\.(?:String|Int|Double|Flag|Long|Choice)\\(\"([a-z-]+)\"")]
    private static partial Regex ReadOption();
}
