using Nest.Samples.Cli;
using Nest.Samples.Commands;
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
        var error = Assert.Throws<UsageException>(() => Nest.Samples.Seeds.SeedCatalog.Find("lenet7"));
        Assert.Equal("--seed must be one of lenet300, lenet300-masked, lenet5 (got 'lenet7')", error.Message);
    }

    [Fact]
    public void HelpListsEachSeedsSynthesisDefaultsFromItsSchedule()
    {
        var lines = SynthesizeCommand.SeedDefaults().ToList();
        var lenet5 = Assert.Single(lines, l => l.StartsWith("lenet5: "));
        Assert.Contains($"--prune-fraction {SeedCatalog.LeNet5Schedule.PruneFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}", lenet5);
        Assert.Contains($"--prune-steps {SeedCatalog.LeNet5Schedule.MaxPruneSteps} ", lenet5);
        var lenet300 = Assert.Single(lines, l => l.StartsWith("lenet300: "));
        Assert.Contains($"--converge-epochs {SeedCatalog.LeNet300Schedule.ConvergeEpochs}", lenet300);
        Assert.DoesNotContain("--prune-fraction", lenet300);
    }
}
