using System.Runtime.CompilerServices;

namespace Nest.Generators.Tests;

/// <summary>
/// The reference seeds the snapshot tests generate code for. They are read from the runtime tests,
/// where the same files compile through the real generator, so both suites test one declaration.
/// </summary>
internal static class Seeds
{
    public static string LeNet300 => Read("LeNet300");
    public static string LeNet5 => Read("LeNet5");
    /// <summary>torchvision's AlexNet (single tower, 224 x 224 input).</summary>
    public static string AlexNet => Read("AlexNet");
    /// <summary>VGG-16 (configuration D, 224 x 224 input), hidden widths at half scale.</summary>
    public static string Vgg16 => Read("Vgg16");

    static string Read(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "Nest.Runtime.Tests", "Seeds", name + ".cs"));
}
