using Nest.Runtime.Pruning;
using Nest.Cli;
using Nest.Cli.Commands;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

public class CommandLineTests
{
    static Arguments Parse(params string[] args) => new(args, new HashSet<string> { "dense" });

    [Fact]
    public void ReadsValuesFlagsAndEqualsForms()
    {
        var args = Parse("--seed", "lenet5", "--dense", "--epochs=3", "--lr", "0.01");
        Assert.Equal("lenet5", args.String("seed"));
        Assert.True(args.Flag("dense"));
        Assert.Equal(3, args.Int("epochs", 20));
        Assert.Equal(0.01, args.Double("lr", 0.05));
        args.RejectUnknown();
    }

    [Fact]
    public void RejectsUnknownOptionsByName()
    {
        var args = Parse("--seed", "lenet5", "--epoch", "3");
        args.String("seed");
        var error = Assert.Throws<UsageException>(args.RejectUnknown);
        Assert.Equal("unknown option --epoch", error.Message);
    }

    [Fact]
    public void RejectsAnOptionWithoutItsValue()
    {
        var error = Assert.Throws<UsageException>(() => Parse("--seed"));
        Assert.Equal("option --seed needs a value", error.Message);
    }

    [Fact]
    public void RejectsANonNumberNamingTheOption()
    {
        var error = Assert.Throws<UsageException>(() => Parse("--epochs", "ten").Int("epochs", 20));
        Assert.Equal("--epochs must be an integer (got 'ten')", error.Message);
    }

    [Fact]
    public void RejectsAValueBelowTheMinimum()
    {
        var error = Assert.Throws<UsageException>(() => Parse("--batch-size", "0").Int("batch-size", 128, min: 1));
        Assert.Equal("--batch-size must be at least 1 (got 0)", error.Message);
    }

    [Fact]
    public void RejectsAnUnknownSeed()
    {
        var error = Assert.Throws<UsageException>(() => SeedCatalog.Find("lenet7"));
        Assert.StartsWith("--seed must be one of ", error.Message);
        Assert.EndsWith("(got 'lenet7')", error.Message);
        Assert.Contains("LeNet300, LeNet300Masked, LeNet5, Mlp500, Tabular64, ThreeConv", error.Message);
    }

    [Fact]
    public void ASecondResumeIsAUsageError()
    {
        var error =
            Assert.Throws<UsageException>(() =>
                ResumeArguments.Merge(["--resume", "a", "--resume", "b"], SynthesizeCommand.Flags));

        Assert.Equal("option --resume is given twice", error.Message);
    }

    [Fact]
    public void TheDefaultScheduleHoldsNoAbsoluteErrorLimit()
    {
        var schedule = new Nest.Runtime.Synthesis.SynthesisSchedule();

        Assert.Null(schedule.Pruning.TargetError);
        Assert.Null(schedule.Growth.TargetError);
        Assert.Equal(0, schedule.Pruning.Tolerance);
        Assert.False(schedule.Training.Augment);
    }

    public static TheoryData<string> ScheduleOptions() => new(SynthesisOptions.All.Select(o => o.Name));

    [Theory]
    [MemberData(nameof(ScheduleOptions))]
    public void EveryScheduleOptionSetsItsField(string name)
    {
        var option = SynthesisOptions.All.Single(o => o.Name == name);
        var defaults = new Nest.Runtime.Synthesis.SynthesisSchedule();
        // A value other than the default, valid for every numeric field (fractions below 1, counts, targets).
        var given = option.Value(defaults) switch
        {
            string text => new[] { "--" + name, text == "taylor" ? "contribution" : "taylor" },
            int i => new[] { "--" + name, (i + 3).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            _ when name is "prune-fraction" or "min-prune-fraction" or "late-prune-fraction" or "target" or "area-prune" or "distill" or "variational-warmup" => new[] { "--" + name, "0.375" },
            _ => new[] { "--" + name, "3.5" },
        };
        var args = new Arguments(given, SynthesizeCommand.Flags);

        var schedule = SynthesisOptions.Apply(args, defaults);

        args.RejectUnknown();
        Assert.NotEqual(option.Value(defaults), option.Value(schedule));
        schedule.Validate();
    }

    [Fact]
    public void NoneTurnsOffOptionalSettings()
    {
        var given = new Nest.Runtime.Synthesis.SynthesisSchedule
        {
            Pruning = new PruningOptions { StopAtCompression = 75, LateFraction = 0.1 },
            Area = new AreaOptions { StopAtFlopsCompression = 40 },
        };
        var args =
            new Arguments(new[] { "--stop-at", "none", "--late-prune-fraction", "none" }, SynthesizeCommand.Flags);

        var schedule = SynthesisOptions.Apply(args, given);

        args.RejectUnknown();
        Assert.Null(schedule.Pruning.StopAtCompression);
        Assert.Null(schedule.Pruning.LateFraction);
        Assert.Equal(40, schedule.Area.StopAtFlopsCompression);
    }

    [Fact]
    public void AnOptionalSettingRejectsOtherWordsNamingNone()
    {
        var args = new Arguments(new[] { "--stop-at", "never" }, SynthesizeCommand.Flags);

        var error =
            Assert.Throws<UsageException>(() =>
                SynthesisOptions.Apply(args, new Nest.Runtime.Synthesis.SynthesisSchedule()));

        Assert.Equal("--stop-at must be a number or 'none' (got 'never')", error.Message);
    }

    [Theory]
    [InlineData("--variational-warmup", "2", "--variational-warmup must be in [0, 1] (got 2)")]
    [InlineData("--prune-fraction", "2", "--prune-fraction must be in [0, 1) (got 2)")]
    [InlineData("--variational-cost", "5", "--variational-cost must be in [0, 4] (got 5)")]
    [InlineData("--area-prune", "1", "--area-prune must be in [0, 1) (got 1)")]
    public void AValueTheEngineRefusesIsAUsageErrorNamingItsOption(string option, string value, string message)
    {
        var args = new Arguments(new[] { option, value }, SynthesizeCommand.Flags);

        var error =
            Assert.Throws<UsageException>(() =>
                SynthesisOptions.Validated(
                    SynthesisOptions.Apply(args, new Nest.Runtime.Synthesis.SynthesisSchedule())));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void HelpListsEveryScheduleOption()
    {
        var help = string.Join("\n", SynthesisOptions.HelpLines());

        Assert.All(SynthesisOptions.All, o => Assert.Contains($"--{o.Name}", help));
        Assert.Contains("--prune-fraction 0.2: ", help);
    }
}
