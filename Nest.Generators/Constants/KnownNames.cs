namespace Nest.Generators;

/// <summary>Metadata names the generator looks for; it never references Nest.Dsl or Nest.Runtime.</summary>
internal static class KnownNames
{
    public const string SeedNetworkAttribute = "Nest.Dsl.SeedNetworkAttribute";
    public const string DenseAttribute = "Nest.Dsl.DenseAttribute";
    public const string Conv2dAttribute = "Nest.Dsl.Conv2dAttribute";
    public const string MaxPool2dAttribute = "Nest.Dsl.MaxPool2dAttribute";
    public const string FlattenAttribute = "Nest.Dsl.FlattenAttribute";
    public const string DropoutAttribute = "Nest.Dsl.DropoutAttribute";

    public const string MaskedLinear = "Nest.Runtime.MaskedLinear";
    public const string MaskedConv2d = "Nest.Runtime.MaskedConv2d";
    public const string MaxPool = "Nest.Runtime.MaxPool";
    public const string Flatten = "Nest.Runtime.Flatten";
    public const string Dropout = "Nest.Runtime.Dropout";
    public const string SeedRegistry = "Nest.Runtime.SeedRegistry";

    /// <summary>Help links point into the repository's diagnostics page and end in the lower-cased id.</summary>
    public const string HelpLinkBase = "docs/diagnostics.md#";
}
