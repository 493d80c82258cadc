using System.Runtime.CompilerServices;

namespace Nest.Runtime.Tests;

// The sample program's seeds register when its assembly loads (the generator's module initializer); the tests call
// the command line without touching a sample type first, so they load it up front, as the sample's Main would.
static class SampleSeeds
{
#pragma warning disable CA2255 // a test assembly is the application here
    [ModuleInitializer]
    internal static void Load() =>
        RuntimeHelpers.RunModuleConstructor(typeof(Nest.Samples.Seeds.LeNet300).Module.ModuleHandle);
#pragma warning restore CA2255
}
