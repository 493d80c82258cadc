using static TorchSharp.torch;

namespace Nest.Cli.Commands;

/// <summary><c>nest describe</c>: the seeds as the generator resolved them, and one forward pass of each.</summary>
public static class DescribeCommand
{
    public static int Run(Arguments args, TextWriter output)
    {
        args.RejectUnknown();
        foreach (var entry in SeedCatalog.All) Describe(entry, output);
        return 0;
    }

    /// <summary>One seed: its reference and seed figures, each layer, and a forward pass on random inputs.</summary>
    public static void Describe(Nest.Runtime.SeedEntry entry, TextWriter output)
    {
        var topology = entry.Topology;
        output.WriteLine($"{entry.Name} ({topology.Name}): input [{string.Join(", ", topology.InputShape)}], {topology.Classes} classes");
        output.WriteLine($"  dense reference: {topology.ReferenceParameters:N0} parameters, {topology.ReferenceFlops:N0} FLOPs");
        output.WriteLine($"  seed:            {topology.SeedParameters:N0} parameters ({topology.SeedConnections:N0} live connections), {topology.SeedFlops:N0} FLOPs");
        foreach (var layer in topology.Layers)
            output.WriteLine($"  {layer.Name,-8} {layer.Kind,-9} [{string.Join(", ", layer.InputShape)}] -> [{string.Join(", ", layer.OutputShape)}]"
                             + (layer.HasWeights
                                 ? $"  density {layer.Density:P0}, {layer.SeedConnections:N0} connections" : ""));

        using var scope = NewDisposeScope();
        using var module = SeedCatalog.AsModule(entry.Create(1, false));
        var logits = module.forward(randn(4, topology.InputShape.Aggregate(1, (a, b) => a * b)));
        output.WriteLine($"  forward pass on 4 random samples -> [{string.Join(", ", logits.shape)}]");
    }
}
