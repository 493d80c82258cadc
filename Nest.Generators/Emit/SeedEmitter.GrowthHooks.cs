using System.Linq;

namespace Nest.Generators;

internal static partial class SeedEmitter
{
    const string Growth = "global::Nest.Runtime.Growth";

    /// <summary>
    /// Typed hooks per hidden layer with weights: adding or removing units resizes the layer's outputs
    /// and its consumer's inputs together (a feature map feeds H x W consumer inputs through a flatten),
    /// plus the index-based <c>ISeedNetwork</c> dispatch the engine uses.
    /// </summary>
    static void EmitGrowthHooks(IndentedTextWriter w, SeedModel seed)
    {
        var hidden = seed.Layers.Where(l => l.HasWeights && !l.IsOutput && l.Consumer >= 0).ToList();
        foreach (var layer in hidden)
        {
            var consumer = seed.Layers[layer.Consumer];
            var unit = layer.Kind == LayerKind.Conv2d ? "feature maps" : "neurons";
            var inputs = layer.ConsumerInputsPerUnit == 1 ? "count" : $"count * {layer.ConsumerInputsPerUnit}L";

            w.WriteLine($"/// <summary>Adds <paramref name=\"count\"/> {unit} to {layer.Name} and their (dormant) inputs to {consumer.Name}.</summary>");
            using (w.WriteBlock($"public void Add{layer.Name}Units(int count)"))
            {
                w.WriteLine($"{Growth}.GrowthGuard.CheckAdd(Topology.Layers[{layer.Index}], {layer.FieldName}.OutputUnits, count);");
                w.WriteLine($"{layer.FieldName}.AppendOutputs(count);");
                w.WriteLine($"{consumer.FieldName}.AppendInputs({inputs});");
            }
            w.WriteLine();
            w.WriteLine($"/// <summary>Removes {unit} of {layer.Name} (by current index) and their inputs to {consumer.Name}.</summary>");
            using (w.WriteBlock($"public void Remove{layer.Name}Units(global::System.Collections.Generic.IReadOnlyCollection<long> units)"))
            {
                w.WriteLine($"var keep = {Growth}.UnitIndices.Keep({layer.FieldName}.OutputUnits, units, \"{layer.Name}\");");
                w.WriteLine($"{Growth}.GrowthGuard.CheckRemove(Topology.Layers[{layer.Index}], {layer.FieldName}.OutputUnits, (int)({layer.FieldName}.OutputUnits - keep.Length));");
                w.WriteLine($"{layer.FieldName}.KeepOutputs(keep);");
                w.WriteLine(layer.ConsumerInputsPerUnit == 1
                    ? $"{consumer.FieldName}.KeepInputs(keep);"
                    : $"{consumer.FieldName}.KeepInputs({Growth}.UnitIndices.Expand(keep, {layer.ConsumerInputsPerUnit}));");
            }
            w.WriteLine();
        }

        using (w.WriteBlock($"{Runtime}.MaskedLayer? {Runtime}.ISeedNetwork.MaskedLayerAt(int layerIndex) => layerIndex switch", "};"))
        {
            foreach (var layer in seed.Layers.Where(l => l.HasWeights))
                w.WriteLine($"{layer.Index} => {layer.FieldName},");
            w.WriteLine($"_ => {Growth}.GrowthGuard.NoWeights(Topology, layerIndex),");
        }
        w.WriteLine();
        EmitDispatch(w, seed, hidden, "void " + Runtime + ".ISeedNetwork.AddUnits(int layerIndex, int count)", l =>
            $"Add{l.Name}Units(count)");
        w.WriteLine();
        EmitDispatch(w, seed, hidden,
            "void " + Runtime + ".ISeedNetwork.RemoveUnits(int layerIndex, global::System.Collections.Generic.IReadOnlyCollection<long> units)", l => $"Remove{l.Name}Units(units)");
    }

    static void EmitDispatch(IndentedTextWriter w, SeedModel seed, System.Collections.Generic.List<LayerModel> hidden,
        string signature, System.Func<LayerModel, string> call)
    {
        using (w.WriteBlock(signature))
        {
            using (w.WriteBlock("switch (layerIndex)"))
            {
                foreach (var layer in hidden)
                {
                    w.WriteLine($"case {layer.Index}:");
                    using (w.Indent())
                    {
                        w.WriteLine(call(layer) + ";");
                        w.WriteLine("break;");
                    }
                }
                w.WriteLine("default:");
                using (w.Indent())
                {
                    w.WriteLine($"{Growth}.GrowthGuard.Refuse(Topology, layerIndex);");
                    w.WriteLine("break;");
                }
            }
        }
    }
}
