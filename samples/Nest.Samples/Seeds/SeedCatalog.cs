using Nest.Runtime;
using Nest.Samples.Cli;
using static TorchSharp.torch;

namespace Nest.Samples.Seeds;

/// <summary>The seeds the command line knows, by the name used with <c>--seed</c>. Every seed synthesizes under
/// the one default schedule (<see cref="Nest.Runtime.Synthesis.SynthesisSchedule"/>); nothing here is per seed but
/// its name and how to make it.</summary>
public static class SeedCatalog
{
    /// <param name="Name">The name used with <c>--seed</c>.</param>
    /// <param name="Topology">The seed as the generator resolved it.</param>
    /// <param name="Create">A new seed (or, with true, its dense reference) from a random seed value.</param>
    public sealed record Entry(string Name, SeedTopology Topology, Func<long, bool, ISeedNetwork> Create);

    public static IReadOnlyList<Entry> All { get; } = new Entry[]
    {
        new("lenet300", LeNet300.Topology, (seed, dense) => dense ? LeNet300.CreateDenseReference(seed) : new LeNet300(seed)),
        new("lenet300-masked", LeNet300Masked.Topology, (seed, dense) => dense ? LeNet300Masked.CreateDenseReference(seed) : new LeNet300Masked(seed)),
        new("lenet5", LeNet5.Topology, (seed, dense) => dense ? LeNet5.CreateDenseReference(seed) : new LeNet5(seed)),
        new("mlp500", Mlp500.Topology, (seed, dense) => dense ? Mlp500.CreateDenseReference(seed) : new Mlp500(seed)),
        new("tabular64", Tabular64.Topology, (seed, dense) => dense ? Tabular64.CreateDenseReference(seed) : new Tabular64(seed)),
    };

    /// <summary>The names, for messages.</summary>
    public static string Names => string.Join(", ", All.Select(e => e.Name));

    public static Entry Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new UsageException($"--seed must be one of {Names} (got '{name}')");

    public static nn.Module<Tensor, Tensor> AsModule(ISeedNetwork network) => (nn.Module<Tensor, Tensor>)network;
}
