using System.Runtime.CompilerServices;

namespace Nest.Generators.Tests;

/// <summary>
/// The reference seeds the snapshot tests generate code for, read from the files that also compile
/// through the real generator (the sample's LeNets, the runtime tests' AlexNet and VGG-16).
/// </summary>
internal static class Seeds
{
    public static string LeNet300 => Read("samples/Nest.Samples/Seeds/LeNet300.cs");
    public static string LeNet5 => Read("samples/Nest.Samples/Seeds/LeNet5.cs");
    /// <summary>torchvision's AlexNet (single tower, 224 x 224 input).</summary>
    public static string AlexNet => Read("tests/Nest.Runtime.Tests/Seeds/AlexNet.cs");
    /// <summary>VGG-16 (configuration D, 224 x 224 input), hidden widths at half scale.</summary>
    public static string Vgg16 => Read("tests/Nest.Runtime.Tests/Seeds/Vgg16.cs");

    static string Read(string path, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", path));
}
