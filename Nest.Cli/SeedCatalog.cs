using Nest.Runtime;
using static TorchSharp.torch;

namespace Nest.Cli;

/// <summary>The seeds the command line knows: every seed the generator registered for the loaded assemblies
/// (<see cref="SeedRegistry"/>), by class name with <c>--seed</c>. Every seed synthesizes under the one default
/// schedule; nothing here is per seed but its name and how to make it.</summary>
public static class SeedCatalog
{
    /// <summary>The registered seeds.</summary>
    public static IReadOnlyList<SeedEntry> All => SeedRegistry.All;

    /// <summary>The names, for messages.</summary>
    public static string Names => All.Count == 0
        ? "none: declare a [SeedNetwork] class in the project that calls NestApp.RunAsync"
        : string.Join(", ", All.Select(e => e.Name));

    /// <summary>The seed called <paramref name="name"/> (case-insensitive), or a usage error listing the
    /// seeds.</summary>
    public static SeedEntry Find(string name)
    {
        try
        {
            return SeedRegistry.Find(name) ?? throw new UsageException($"--seed must be one of {Names} (got '{name}')");
        }
        catch (ArgumentException e)
        {
            throw new UsageException("--" + e.Message.Split(" (Parameter")[0]);
        }
    }

    /// <summary>A seed network as the TorchSharp module it is (every generated seed is one).</summary>
    public static nn.Module<Tensor, Tensor> AsModule(ISeedNetwork network) => (nn.Module<Tensor, Tensor>)network;
}
