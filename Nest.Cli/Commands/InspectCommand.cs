using System.Text.Json;
using Nest.Runtime.Export;
using Nest.Runtime.Training;

namespace Nest.Cli.Commands;

/// <summary>
/// <c>nest inspect --seed NAME</c>: a seed as declared (its layers, widths, densities, reference figures);
/// <c>nest inspect --run DIR</c> or <c>--model FILE</c>: a synthesized network as saved (each layer's shape, live
/// connections, density, area, parameters and FLOPs against the dense reference, and its compact export's shapes).
/// <c>--json</c> prints the same as JSON.
/// </summary>
public static class InspectCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "json" };

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(Arguments args, TextWriter output)
    {
        var seedName = args.String("seed");
        var run = args.String("run");
        var modelPath = args.String("model") ?? (run is null ? null : Path.Combine(run, "model.nestmodel"));
        var json = args.Flag("json");
        args.RejectUnknown();
        if ((seedName is null) == (modelPath is null))
            throw new UsageException("give one of --seed NAME, --run DIR or --model FILE");

        if (seedName is not null)
        {
            var entry = SeedCatalog.Find(seedName);
            if (json)
                output.WriteLine(
                JsonSerializer.Serialize(new { seed = entry.Name, topology = entry.Topology }, Indented));
            else DescribeCommand.Describe(entry, output);
            return 0;
        }

        var (header, network, module) = ModelFile.Load(modelPath!);
        using var _ = module;
        var cost = NetworkCost.Measure(network);
        var reference = network.Topology;
        var compact = CompactModel.From(network);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model = modelPath, header,
                reference = new { parameters = reference.ReferenceParameters, flops = reference.ReferenceFlops },
                cost.Parameters, cost.Connections, cost.Flops, cost.Layers,
                compact =
                    compact.Layers.Where(l => l.WeightShape is not null).Select(l =>
                        new { l.Name, l.WeightShape, gatheredColumns = l.InputIndex?.Length, l.AreaShape }),
            }, Indented));
            return 0;
        }
        output.WriteLine($"{modelPath}: seed {header.Seed} ({reference.Name}), input {header.Input}; test error {header.TestError:P2}, validation error {header.ValidationError:P2}");
        output.WriteLine($"  {cost.Parameters:N0} parameters ({(double)reference.ReferenceParameters / cost.Parameters:F1}x fewer than {reference.ReferenceParameters:N0}), " +
                         $"{cost.Flops:N0} FLOPs ({(double)reference.ReferenceFlops / cost.Flops:F1}x fewer than {reference.ReferenceFlops:N0})");
        output.WriteLine($"  {"layer",-8} {"shape",-16} {"connections",11} {"density",8} {"area",6} {"parameters",11} {"FLOPs",11}");
        foreach (var layer in cost.Layers)
            output.WriteLine($"  {layer.Name,-8} {string.Join("x", layer.Shape),-16} {layer.Connections,11:N0} {layer.Density,8:P1} {(layer.AreaDensity is { } a ? a.ToString("P0") : "-"),6} {layer.Parameters,11:N0} {layer.Flops,11:N0}");
        output.WriteLine($"  compact export: {string.Join(" -> ", compact.Layers.Where(l => l.WeightShape is not null).Select(l => $"{l.Name} [{string.Join("x", l.WeightShape!)}]" + (l.InputIndex is { } i ? $" (reads {i.Length} columns)" : "")))}");
        return 0;
    }
}
