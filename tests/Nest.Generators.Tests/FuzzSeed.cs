using System.Globalization;
using System.Text;

namespace Nest.Generators.Tests;

/// <summary>
/// A random seed declaration for the fuzz test: valid by construction (shapes followed layer by layer, values in
/// range), or that with exactly one mistake whose NEST id and line are known, or with attribute arguments that are
/// not even C# of the right types. Each layer sits on its own line, so a diagnostic's line says which it is about.
/// </summary>
internal sealed record FuzzSeed(string Source, string Name, string Kind, string? ExpectedId,
    IReadOnlySet<int> ExpectedLines, int[] Input, int Classes)
{
    /// <summary>The seed's type name with its namespace, as reflection spells it.</summary>
    public string FullName { get; init; } = "Fuzz." + Name;

    public bool Valid => Kind == "valid";

    sealed record Layer(string Attribute, string Type, string Name);

    public static FuzzSeed Create(Random random, int index)
    {
        var name = $"Fuzz{index}";
        var spatial = random.Next(3) > 0;
        int[] input = spatial ? [random.Next(1, 4), random.Next(4, 33), random.Next(4, 33)] : [random.Next(1, 200)];
        var classes = random.Next(1, 20);
        var layers = ValidLayers(random, input, classes, out var hasConv);

        // Valid seeds vary the namespace form and the layer names (Unicode letters, underscores, digits).
        var form = random.Next(4);
        if (random.Next(3) == 0)
            layers = layers.Select((l, i) => l with { Name = OddName(random, l.Name, i) }).ToList();

        var roll = random.NextDouble();
        if (roll < 0.4) return Build(name, "valid", null, input, classes, layers, s => s.Namespace = form);
        if (roll < 0.9) return Mutate(random, name, input, classes, layers, hasConv);
        // Not C# of the right types: the generator must stay quiet about what the compiler reports.
        var garbage = random.Next(4) switch
        {
            0 => new Layer("[Dense(\"wide\")]", "MaskedLinear", "Junk"),
            1 => new Layer("[Conv2d(3, Kernel = 2.5)]", "MaskedConv2d", "Junk"),
            2 => new Layer("[Dense(4, Density = \"dense\")]", "MaskedLinear", "Junk"),
            _ => new Layer("[MaxPool2d(Stride = )]", "MaxPool", "Junk"),
        };
        var at = random.Next(layers.Count + 1);
        var withGarbage = layers.Take(at).Append(garbage).Concat(layers.Skip(at)).ToList();
        return Build(name, "not C#", null, input, classes, withGarbage, _ => { });
    }

    static string OddName(Random random, string name, int index) => random.Next(4) switch
    {
        0 => "Schicht" + index + "_ä",
        1 => "Слой" + index,
        2 => "_" + name + "_" + index,
        _ => name + "x" + index,
    };

    static readonly string[] Keywords = ["@class", "@out", "@int", "@namespace", "@this"];
    static readonly string[] Generated =
        ["Kernel", "Stride", "Index", "Density", "OutputFeatures", "Classes", "SeedFlops", "Topology",
            "LayerConstants"];

    // Layers that fit: convolutions and pools while the input is spatial and large enough, a flatten, dense layers,
    // and the output layer with the class count.
    static List<Layer> ValidLayers(Random random, int[] input, int classes, out bool hasConv)
    {
        var layers = new List<Layer>();
        hasConv = false;
        var c = CultureInfo.InvariantCulture;
        if (input.Length == 3)
        {
            int size = Math.Min(input[1], input[2]);
            for (int i = random.Next(0, 4); i > 0; i--)
            {
                if (random.Next(3) > 0)
                {
                    var padding = random.Next(0, 3);
                    var kernel = random.Next(1, Math.Min(5, size + 2 * padding) + 1);
                    var stride = random.Next(1, 3);
                    var width = random.Next(1, 17);
                    var density = random.Next(1, 11) / 10.0;
                    var extra =
                        random.Next(3) switch { 0 => "", 1 => $", MaxWidth = {width + random.Next(0, 8)}", _ =>
                            ", Activation = Activation.Tanh" };
                    layers.Add(
                        new($"[Conv2d({width}, Kernel = {kernel}, Stride = {stride}, Padding = {padding}, Density = {density.ToString(c)}{extra})]", "MaskedConv2d", $"Conv{layers.Count}"));
                    size = (size + 2 * padding - kernel) / stride + 1;
                    hasConv = true;
                }
                else if (size >= 2)
                {
                    var window = random.Next(1, Math.Min(3, size) + 1);
                    layers.Add(new($"[MaxPool2d({window})]", "MaxPool", $"Pool{layers.Count}"));
                    size /= window;
                }
                if (random.Next(5) == 0)
                    layers.Add(
                    new($"[Dropout({(random.Next(0, 9) / 10.0).ToString(c)})]", "Dropout", $"Drop{layers.Count}"));
            }
            layers.Add(new("[Flatten]", "Flatten", $"Flat{layers.Count}"));
        }
        for (int i = random.Next(0, 3); i > 0; i--)
        {
            var width = random.Next(1, 65);
            layers.Add(
                new($"[Dense({width}, Density = {(random.Next(1, 11) / 10.0).ToString(c)})]", "MaskedLinear",
                $"Fc{layers.Count}"));
        }
        layers.Add(new($"[Dense({classes})]", "MaskedLinear", "Logits"));
        return layers;
    }

    // One mistake whose diagnostic is certain: its id and the lines it may be reported on.
    static FuzzSeed Mutate(Random random, string name, int[] input, int classes, List<Layer> layers, bool hasConv)
    {
        var convs = layers.Select((l, i) => (l, i)).Where(p => p.l.Type == "MaskedConv2d").Select(p => p.i).ToList();
        var denses = layers.Select((l, i) => (l, i)).Where(p => p.l.Type == "MaskedLinear").Select(p => p.i).ToList();
        var choices = new List<Func<FuzzSeed>>
        {
            () => Build(name, "not partial", "NEST0001", input, classes, layers, s => s.Partial = false, Lines.Class),
            () => Build(name, "generic", "NEST0018", input, classes, layers, s => s.Generic = true, Lines.Class),
            () => Build(name, "nested", "NEST0018", input, classes, layers, s => s.Nested = true, Lines.Class),
            () => Build(name, "static", "NEST0018", input, classes, layers, s => s.Static = true, Lines.Class),
            () => Build(name, "base class", "NEST0019", input, classes, layers, s => s.BaseClass = true, Lines.Class),
            () => Build(name, "classes not positive", "NEST0015", input, -random.Next(0, 5), layers, _ => { },
                Lines.Attribute, keepClasses: classes),
            () => Build(name, "input shape", "NEST0014", input.Length == 3 ? [input[0], 0, input[2]] : [-input[0]],
                classes, layers, _ => { }, Lines.Attribute),
            () => Build(name, "width scale", "NEST0012", input, classes, layers, s => s.WidthScale =
                random.Next(2) == 0 ? "0" : "-0.5", Lines.Attribute),
            () => Build(name, "no layers", "NEST0002", input, classes, [], _ => { }, Lines.Class | Lines.Attribute),
            () => Replace(name, "width not positive", "NEST0003", input, classes, layers,
                denses[random.Next(denses.Count)],
                l => l with { Attribute = Regex(l.Attribute, @"Dense\(\d+", $"Dense({-random.Next(0, 3)}") }),
            () => Replace(name, "density out of range", "NEST0004", input, classes, layers,
                denses[random.Next(denses.Count)],
                l => l with { Attribute =
                    l.Attribute.Replace(")]",
                        $", Density = {(random.Next(2) == 0 ? "0" : "1.5")})]").Replace("Density = 1, Density",
                        "Density") }),
            () => Replace(name, "wrong property type", "NEST0010", input, classes, layers,
                denses[random.Next(denses.Count)], l => l with { Type = "MaxPool" }),
            () => Replace(name, "two layer attributes", "NEST0009", input, classes, layers,
                denses[random.Next(denses.Count)], l => l with { Attribute = l.Attribute + " [Flatten]" }),
            () => Replace(name, "no layer attribute", "NEST0011", input, classes, layers,
                denses[random.Next(denses.Count)], l => l with { Attribute = "" }),
            () => Replace(name, "setter", "NEST0016", input, classes, layers, denses[random.Next(denses.Count)], l =>
                l with { Accessors = "{ get; set; }" }),
            () => Replace(name, "keyword layer name", "NEST0026", input, classes, layers,
                denses[random.Next(denses.Count)],
                l => l with { Name = Keywords[random.Next(Keywords.Length)] }),
            () => Replace(name, "generated member name", "NEST0026", input, classes, layers,
                denses[random.Next(denses.Count)],
                l => l with { Name = Generated[random.Next(Generated.Length)] }),
            () => Insert(name, "case collision", "NEST0027", input, classes, layers, layers.Count,
                new Layer($"[Dense({classes})]", "MaskedLinear", LowerFirst(layers[^1].Name))),
            () => Build(name, "user constructor", "NEST0028", input, classes, layers, s => s.Constructor = true,
                Lines.Extra),
            () => Build(name, "record", "NEST0018", input, classes, layers, s => s.Record = true, Lines.Class),
            () => Build(name, "file class", "NEST0018", input, classes, layers, s => s.File = true, Lines.Class),
            () => Build(name, "primary constructor", "NEST0018", input, classes, layers, s => s.PrimaryConstructor =
                true, Lines.Class),
            () => Replace(name, "output width", "NEST0008", input, classes, layers, layers.Count - 1, l =>
                l with { Attribute = $"[Dense({classes + 1 + random.Next(5)})]" },
                    Lines.AnyLayer | Lines.Class | Lines.Attribute),
        };
        if (convs.Count > 0)
        {
            choices.Add(() => Replace(name, "kernel larger than input", "NEST0005", input, classes, layers, convs[0],
                l => l with { Attribute =
                    Regex(l.Attribute, @"Kernel = \d+", $"Kernel = {200 + random.Next(1000)}") }));
            choices.Add(() => Replace(name, "negative padding", "NEST0021", input, classes, layers, convs[0],
                l => l with { Attribute = Regex(l.Attribute, @"Padding = \d+", $"Padding = {-random.Next(1, 4)}") }));
            choices.Add(() => Replace(name, "growth bound below width", "NEST0013", input, classes, layers, convs[0],
                l => l with { Attribute =
                    Regex(Regex(l.Attribute, @", MaxWidth = \d+", ""), @"Conv2d\(\d+", "Conv2d(8").Replace(")]",
                        ", MaxWidth = 3)]") }));
            choices.Add(() => Insert(name, "dropout out of range", "NEST0020", input, classes, layers, convs[0] + 1,
                new Layer($"[Dropout({(random.Next(2) == 0 ? "1" : "1.5")})]", "Dropout", "BadDrop")));
        }
        if (input.Length == 3 && layers.Any(l => l.Type == "Flatten"))
        {
            var flatten = layers.FindIndex(l => l.Type == "Flatten");
            choices.Add(() =>
                Build(name, "dense without flatten", hasConv ? "NEST0007" : "NEST0007", input, classes,
                    layers.Where((_, i) => i != flatten).ToList(), _ => { }, Lines.AnyLayer));
            choices.Add(() =>
                Insert(name, "convolution after flatten", "NEST0017", input, classes, layers, flatten + 1,
                    new Layer("[Conv2d(4, Kernel = 1)]", "MaskedConv2d", "Late")));
            choices.Add(() =>
                Insert(name, "pool window larger than input", "NEST0006", input, classes, layers, flatten,
                    new Layer($"[MaxPool2d({500 + random.Next(100)})]", "MaxPool", "HugePool")));
        }
        return choices[random.Next(choices.Count)]();
    }

    // The name with the case of its first letter flipped: another identifier, the same field or module name.
    static string LowerFirst(string name)
    {
        var i = name.ToList().FindIndex(char.IsLetter);
        var c = name[i];
        return name[..i] + (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) + name[(i + 1)..];
    }

    static string Regex(string text, string pattern, string replacement) =>
        System.Text.RegularExpressions.Regex.Replace(text, pattern, replacement);

    [Flags]
    enum Lines { Class = 1, Attribute = 2, Layer = 4, AnyLayer = 8, Extra = 16 }

    static FuzzSeed Insert(string name, string kind, string id, int[] input, int classes, List<Layer> layers, int at,
        Layer layer) =>
        Build(name, kind, id, input, classes,
            layers.Take(at).Append(layer).Concat(layers.Skip(at)).Select(l =>
            new LayerLine(l.Attribute, l.Type, l.Name)).ToList(),
            _ => { }, Lines.Layer, changed: at);

    sealed class Shape
    {
        public bool Partial = true, Generic, Nested, Static, BaseClass, Record, File, PrimaryConstructor, Constructor;
        public int Namespace;
        public string? WidthScale;
    }

    sealed record LayerLine(string Attribute, string Type, string Name, string Accessors = "{ get; }");

    static FuzzSeed Replace(string name, string kind, string id, int[] input, int classes, List<Layer> layers, int at,
        Func<LayerLine, LayerLine> change, Lines lines = Lines.Layer)
    {
        var lineLayers = layers.Select(l => new LayerLine(l.Attribute, l.Type, l.Name)).ToList();
        lineLayers[at] = change(lineLayers[at]);
        return Build(name, kind, id, input, classes, lineLayers, _ => { }, lines, changed: at);
    }

    static FuzzSeed Build(string name, string kind, string? id, int[] input, int classes, List<Layer> layers,
        Action<Shape> shape, Lines lines = Lines.Layer, int keepClasses = 0) =>
        Build(name, kind, id, input, classes, layers.Select(l => new LayerLine(l.Attribute, l.Type, l.Name)).ToList(),
            shape, lines, changed: -1, keepClasses);

    static FuzzSeed Build(string name, string kind, string? id, int[] input, int classes, List<LayerLine> layers,
        Action<Shape> shape, Lines lines, int changed, int keepClasses = 0)
    {
        var s = new Shape();
        shape(s);
        var source = new StringBuilder();
        source.AppendLine("using Nest.Dsl;");
        source.AppendLine("using Nest.Runtime;");
        // 0: file-scoped, 1: a block, 2: nested and @-escaped, 3: none (the global namespace).
        var (ns, full) = s.Namespace switch
        {
            1 => ("namespace Fuzz {", "Fuzz." + name),
            2 => ("namespace Fuzz.Inner.@fixed;", "Fuzz.Inner.fixed." + name),
            3 => ("", name),
            _ => ("namespace Fuzz;", "Fuzz." + name),
        };
        source.AppendLine(ns);
        if (s.Nested) source.AppendLine("public static partial class Outer {");
        var attributeLine = Count(source);
        source.AppendLine($"[SeedNetwork(Input = new[] {{ {string.Join(", ", input)} }}, Classes = {classes}{(s.WidthScale is { } w ? $", WidthScale = {w}" : "")})]");
        var classLine = Count(source);
        source.AppendLine($"{(s.File ? "file" : "public")} {(s.Static ? "static " : "sealed ")}{(s.Partial ? "partial " : "")}{(s.Record ? "record " : "")}class {name}" +
                          $"{(s.Generic ? "<T>" : "")}{(s.PrimaryConstructor ? "(int size)" : "")}{(s.BaseClass ? " : System.Exception" : "")}");
        source.AppendLine("{");
        var first = Count(source);
        foreach (var layer in layers)
            source.AppendLine($"    {layer.Attribute} public partial {layer.Type} {layer.Name} {layer.Accessors}");
        var extraLine = Count(source);
        if (s.Constructor) source.AppendLine($"    public {name}(long size) {{ }}");
        source.AppendLine("}");
        if (s.Nested) source.AppendLine("}");
        if (s.Namespace == 1) source.AppendLine("}");
        var expected = new HashSet<int>();
        if (lines.HasFlag(Lines.Class)) expected.Add(classLine);
        if (lines.HasFlag(Lines.Attribute)) expected.Add(attributeLine);
        if (lines.HasFlag(Lines.Layer) && changed >= 0) expected.Add(first + changed);
        if (lines.HasFlag(Lines.AnyLayer)) for (int i = 0; i < layers.Count; i++) expected.Add(first + i);
        if (lines.HasFlag(Lines.Extra)) expected.Add(extraLine);
        return new FuzzSeed(source.ToString(), name, kind, id, expected, input,
            keepClasses > 0 ? keepClasses : classes) { FullName = full };
    }

    // The 0-based line the next AppendLine writes.
    static int Count(StringBuilder source) => source.ToString().Count(ch => ch == '\n');
}
