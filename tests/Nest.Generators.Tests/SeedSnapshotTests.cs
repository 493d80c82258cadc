using System.Runtime.CompilerServices;

namespace Nest.Generators.Tests;

public class SeedSnapshotTests
{
    static void GeneratesCleanly(string source, string hint, [CallerMemberName] string test = "")
    {
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        Snapshot.Verify(result.Sources[hint], hint, test: test);
    }

    [Fact]
    public void GeneratesLeNet300Module() => GeneratesCleanly(Seeds.LeNet300, "Nest.Samples.Seeds.LeNet300.g.cs");

    [Fact]
    public void GeneratesLeNet5Module() => GeneratesCleanly(Seeds.LeNet5, "Nest.Samples.Seeds.LeNet5.g.cs");

    [Fact]
    public void GeneratesAlexNetModule() => GeneratesCleanly(Seeds.AlexNet, "Nest.Runtime.Tests.Seeds.AlexNet.g.cs");

    [Fact]
    public void GeneratesVgg16Module() => GeneratesCleanly(Seeds.Vgg16, "Nest.Runtime.Tests.Seeds.Vgg16.g.cs");
}
