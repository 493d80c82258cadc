namespace Nest.Runtime.Tests;

public class SeedRegistryTests
{
    static SeedEntry Probe(string ns, string name) =>
        new(name, ns + "." + name, Nest.Samples.Seeds.LeNet300.Topology, (seed, dense) =>
            new Nest.Samples.Seeds.LeNet300(seed));

    [Fact]
    public void SampleSeedsAreFoundByClassNameIgnoringCaseAndHyphens()
    {
        Assert.Equal("Nest.Samples.Seeds.LeNet300Masked", SeedRegistry.Find("lenet300-masked")?.FullName);
        Assert.Equal("Nest.Samples.Seeds.LeNet5", SeedRegistry.Find("LENET5")?.FullName);
        Assert.Null(SeedRegistry.Find("lenet7"));
    }

    [Fact]
    public void AmbiguousNameIsRefusedNamingBothAndTheFullNameStillFindsEach()
    {
        SeedRegistry.Register(Probe("First.Place", "RegistryProbe"), Probe("Second.Place", "RegistryProbe"));

        var error = Assert.Throws<ArgumentException>(() => SeedRegistry.Find("registryprobe"));
        Assert.Contains("First.Place.RegistryProbe, Second.Place.RegistryProbe", error.Message);
        Assert.Equal("Second.Place.RegistryProbe", SeedRegistry.Find("second.place.registryprobe")?.FullName);
    }

    [Fact]
    public void RegisteringASeedTwiceKeepsOneEntry()
    {
        SeedRegistry.Register(Probe("Twice.Place", "TwiceProbe"));
        SeedRegistry.Register(Probe("Twice.Place", "TwiceProbe"));

        Assert.Single(SeedRegistry.All, e => e.FullName == "Twice.Place.TwiceProbe");
    }
}
