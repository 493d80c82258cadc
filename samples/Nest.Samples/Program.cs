using Nest.Runtime;
using Nest.Samples.Seeds;
using static TorchSharp.torch;

// Until the trainer and synthesizer land, the sample describes its seeds and runs one forward pass
// of each on random input, so the whole chain (DSL -> generator -> TorchSharp) is exercised.
foreach (var (topology, create) in new (SeedTopology, Func<ISeedNetwork>)[]
{
    (LeNet300.Topology, () => new LeNet300(randomSeed: 1)),
    (LeNet5.Topology, () => new LeNet5(randomSeed: 1)),
})
{
    Console.WriteLine($"{topology.Name}: input [{string.Join(", ", topology.InputShape)}], {topology.Classes} classes");
    Console.WriteLine($"  dense reference: {topology.ReferenceParameters:N0} parameters, {topology.ReferenceFlops:N0} FLOPs");
    Console.WriteLine($"  seed:            {topology.SeedParameters:N0} parameters ({topology.SeedConnections:N0} live connections), {topology.SeedFlops:N0} FLOPs");
    foreach (var layer in topology.Layers)
        Console.WriteLine($"  {layer.Name,-8} {layer.Kind,-9} [{string.Join(", ", layer.InputShape)}] -> [{string.Join(", ", layer.OutputShape)}]"
                          + (layer.HasWeights ? $"  density {layer.Density:P0}, {layer.SeedConnections:N0} connections" : ""));

    using var scope = NewDisposeScope();
    var network = create();
    var module = (nn.Module<Tensor, Tensor>)network;
    var logits = module.forward(randn(4, topology.InputShape.Aggregate(1, (a, b) => a * b)));
    Console.WriteLine($"  forward pass on 4 random samples -> [{string.Join(", ", logits.shape)}]");
    module.Dispose();
}
