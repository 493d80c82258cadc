using System.Collections.Generic;
using System.Linq;

namespace Nest.Generators;

/// <summary>A layer while the analyzer works on it: settings resolved, shapes and costs filled in.</summary>
internal sealed class ResolvedLayer
{
    public ResolvedLayer(LayerDeclaration declaration, int index, bool isOutput)
    {
        Declaration = declaration;
        Index = index;
        IsOutput = isOutput;
    }

    public LayerDeclaration Declaration { get; }
    public int Index { get; }
    public bool IsOutput { get; }
    public long[]? InputShape { get; set; }
    public long[]? ReferenceInputShape { get; set; }
    public long[]? OutputShape { get; set; }
    public int ReferenceWidth { get; set; }
    public int SeedWidth { get; set; }
    public long ReferenceParameters { get; set; }
    public long ReferenceFlops { get; set; }
    public long SeedConnections { get; set; }
    public long SeedParameters { get; set; }
    public long SeedFlops { get; set; }

    /// <summary>Builds the value model; only called when every shape is known.</summary>
    public LayerModel ToModel(IReadOnlyList<ResolvedLayer> all)
    {
        var d = Declaration;
        var (consumer, perUnit) = FindConsumer(all);
        var activation = (Activation)d.RawActivation;
        if (activation == Activation.Default)
            activation = d.HasWeights && !IsOutput ? Activation.Relu : Activation.None;
        return new LayerModel(
            Index, d.Name, FieldName(d.Name), ModuleName(d.Name), d.Kind, d.Property,
            InputShape!.Select(x => (int)x).ToEquatableArray(), OutputShape!.Select(x => (int)x).ToEquatableArray(),
            d.HasWeights ? (int)ReferenceInputShape![0] : 0,
            d.HasWeights ? ReferenceWidth : 0, d.HasWeights ? SeedWidth : 0, d.HasWeights ? d.MaxWidth : 0,
            d.HasWeights ? d.Density : 1.0,
            d.Kind is LayerKind.Conv2d or LayerKind.MaxPool2d ? d.Kernel : 0,
            d.Kind is LayerKind.Conv2d or LayerKind.MaxPool2d ? d.Stride : 0,
            d.Kind == LayerKind.Conv2d ? d.Padding : 0,
            d.Kind == LayerKind.Dropout ? d.DropProbability : 0,
            activation, IsOutput, FindProducer(all), consumer, perUnit,
            ReferenceParameters, ReferenceFlops, SeedConnections, SeedParameters, SeedFlops);
    }

    /// <summary>The previous layer with weights, whose units feed this one; -1 if none.</summary>
    int FindProducer(IReadOnlyList<ResolvedLayer> all)
    {
        if (!Declaration.HasWeights) return -1;
        for (int j = Index - 1; j >= 0; j--)
            if (all[j].Declaration.HasWeights) return j;
        return -1;
    }

    /// <summary>The next layer with weights, and how many of its inputs each of this layer's units
    /// feeds: H x W of a feature map when a flatten lies between, else 1.</summary>
    (int Consumer, int InputsPerUnit) FindConsumer(IReadOnlyList<ResolvedLayer> all)
    {
        if (!Declaration.HasWeights) return (-1, 0);
        var perUnit = 1;
        for (int j = Index + 1; j < all.Count; j++)
        {
            var next = all[j];
            if (next.Declaration.HasWeights) return (j, perUnit);
            if (next.Declaration.Kind == LayerKind.Flatten && next.InputShape is { Length: 3 } s)
                perUnit = (int)(s[1] * s[2]);
        }
        return (-1, 0);
    }

    /// <summary>PyTorch-style module name: Fc1 -> fc1, HiddenLayer -> hidden_layer, XMLLayer -> xml_layer.</summary>
    public static string ModuleName(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || (char.IsUpper(previous) && nextIsLower))
                    builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>The backing field: _ + camelCase of the property name.</summary>
    public static string FieldName(string name) => "_" + char.ToLowerInvariant(name[0]) + name.Substring(1);
}
