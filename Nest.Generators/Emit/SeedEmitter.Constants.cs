using System.Linq;

namespace Nest.Generators;

internal static partial class SeedEmitter
{
    static void EmitConstants(IndentedTextWriter w, SeedModel seed)
    {
        Const(w, "Number of classes: the width of the output layer.", "int", "Classes",
            seed.Classes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        CostConstants(w, "the dense reference network (declared widths, every connection live)",
            "the seed (scaled widths, declared densities)",
            (seed.ReferenceParameters, seed.ReferenceFlops, seed.SeedConnections, seed.SeedParameters, seed.SeedFlops));
    }

    // The five cost constants, for the whole seed or one layer: the same names, the scope in the summaries.
    static void CostConstants(IndentedTextWriter w, string inReference, string inSeed,
        (long ReferenceParameters, long ReferenceFlops, long SeedConnections, long SeedParameters, long SeedFlops) c)
    {
        Const(w, $"Weights plus biases of {inReference}.", "long", "ReferenceParameters",
            Format.LongLiteral(c.ReferenceParameters));
        Const(w, $"2 x multiply-accumulates of {inReference}.", "long", "ReferenceFlops",
            Format.LongLiteral(c.ReferenceFlops));
        Const(w, $"Live connections of {inSeed}.", "long", "SeedConnections", Format.LongLiteral(c.SeedConnections));
        Const(w, $"Live connections plus biases of {inSeed}.", "long", "SeedParameters",
            Format.LongLiteral(c.SeedParameters));
        Const(w, $"2 x multiply-accumulates of the live connections of {inSeed}.", "long", "SeedFlops",
            Format.LongLiteral(c.SeedFlops));
    }

    static void Const(IndentedTextWriter w, string summary, string type, string name, string value)
    {
        w.WriteLine($"/// <summary>{summary}</summary>");
        w.WriteLine($"public const {type} {name} = {value};");
    }

    static void EmitLayerConstants(IndentedTextWriter w, SeedModel seed)
    {
        w.WriteLine("/// <summary>Compile-time shapes and costs of each layer (seed widths, batch dimension excluded).</summary>");
        using (w.WriteBlock("public static class LayerConstants"))
        {
            var first = true;
            foreach (var layer in seed.Layers)
            {
                if (!first) w.WriteLine();
                first = false;
                w.WriteLine($"/// <summary>Layer {layer.Name} ({layer.Kind}): {Format.Shape(layer.InputShape)} -> {Format.Shape(layer.OutputShape)}.</summary>");
                using (w.WriteBlock("public static class " + layer.Name))
                {
                    Int(w, "Position of the layer in the network (0-based).", "Index", layer.Index);
                    Shape(w, "Input", layer.InputShape);
                    Shape(w, "Output", layer.OutputShape);
                    if (layer.HasWeights)
                    {
                        Int(w, "Declared width of the dense reference.", "ReferenceWidth", layer.ReferenceWidth);
                        Int(w, "Width of the seed (the declared width times the width scale).", "SeedWidth",
                            layer.SeedWidth);
                        Int(w, "Growth bound (0: none).", "MaxWidth", layer.MaxWidth);
                        Const(w, "Live fraction of the seed's connections.", "double", "Density",
                            Format.DoubleLiteral(layer.Density));
                    }
                    if (layer.Kind is LayerKind.Conv2d or LayerKind.MaxPool2d)
                    {
                        Int(w, "Kernel (window) size.", "Kernel", layer.Kernel);
                        Int(w, "Stride.", "Stride", layer.Stride);
                    }
                    if (layer.Kind == LayerKind.Conv2d)
                        Int(w, "Zero padding on each side.", "Padding", layer.Padding);
                    if (layer.HasWeights)
                        CostConstants(w, "this layer in the dense reference", "this layer in the seed",
                            (layer.ReferenceParameters, layer.ReferenceFlops, layer.SeedConnections,
                                layer.SeedParameters, layer.SeedFlops));
                }
            }
        }
    }

    static void Int(IndentedTextWriter w, string summary, string name, int value) =>
        Const(w, summary, "int", name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    static void Shape(IndentedTextWriter w, string prefix, EquatableArray<int> shape)
    {
        if (shape.Count == 3)
        {
            Int(w, $"{prefix} channels (feature maps).", prefix + "Channels", shape[0]);
            Int(w, $"{prefix} height.", prefix + "Height", shape[1]);
            Int(w, $"{prefix} width.", prefix + "Width", shape[2]);
        }
        else
        {
            Int(w, $"{prefix} features.", prefix + "Features", shape[0]);
        }
    }

    static void EmitTopology(IndentedTextWriter w, SeedModel seed)
    {
        w.WriteLine("/// <summary>The seed as the generator resolved it at compile time.</summary>");
        using (w.WriteBlock($"public static {Runtime}.SeedTopology Topology {{ get; }} = new {Runtime}.SeedTopology",
            "};"))
        {
            w.WriteLine($"Name = \"{seed.ClassName}\",");
            w.WriteLine($"InputShape = {IntArray(seed.InputShape)},");
            w.WriteLine("Classes = Classes,");
            w.WriteLine("ReferenceParameters = ReferenceParameters,");
            w.WriteLine("ReferenceFlops = ReferenceFlops,");
            w.WriteLine("SeedConnections = SeedConnections,");
            w.WriteLine("SeedParameters = SeedParameters,");
            w.WriteLine("SeedFlops = SeedFlops,");
            using (w.WriteBlock($"Layers = new {Runtime}.LayerDescription[]", "},"))
            {
                foreach (var l in seed.Layers)
                {
                    using (w.WriteBlock($"new {Runtime}.LayerDescription", "},"))
                    {
                        w.WriteLine($"Index = {l.Index}, Name = \"{l.Name}\", ModuleName = \"{l.ModuleName}\", Kind = {Runtime}.LayerKind.{l.Kind},");
                        w.WriteLine($"InputShape = {IntArray(l.InputShape)}, OutputShape = {IntArray(l.OutputShape)},");
                        w.WriteLine($"Activation = global::Nest.Dsl.Activation.{l.Activation},");
                        if (l.HasWeights)
                        {
                            w.WriteLine($"ReferenceWidth = {l.ReferenceWidth}, SeedWidth = {l.SeedWidth}, MaxWidth = {l.MaxWidth}, Density = {Format.DoubleLiteral(l.Density)},");
                            w.WriteLine($"IsOutput = {(l.IsOutput ? "true" : "false")}, Producer = {l.Producer}, Consumer = {l.Consumer}, ConsumerInputsPerUnit = {l.ConsumerInputsPerUnit},");
                            w.WriteLine($"ReferenceParameters = {Format.LongLiteral(l.ReferenceParameters)}, ReferenceFlops = {Format.LongLiteral(l.ReferenceFlops)},");
                            w.WriteLine($"SeedConnections = {Format.LongLiteral(l.SeedConnections)}, SeedParameters = {Format.LongLiteral(l.SeedParameters)}, SeedFlops = {Format.LongLiteral(l.SeedFlops)},");
                        }
                        if (l.Kind is LayerKind.Conv2d or LayerKind.MaxPool2d)
                            w.WriteLine($"Kernel = {l.Kernel}, Stride = {l.Stride}, Padding = {l.Padding},");
                        if (l.Kind == LayerKind.Dropout)
                            w.WriteLine($"DropProbability = {Format.DoubleLiteral(l.DropProbability)},");
                    }
                }
            }
        }
        w.WriteLine();
        w.WriteLine($"{Runtime}.SeedTopology {Runtime}.ISeedNetwork.Topology => Topology;");
    }

    static string IntArray(EquatableArray<int> values) =>
        "new[] { " + string.Join(", ",
            values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))) + " }";
}
