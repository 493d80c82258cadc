namespace Nest.Generators;

/// <summary>Identity of the generator, stamped into every emitted file.</summary>
internal static partial class GeneratorInfo
{
    /// <summary>The tool name in <c>[GeneratedCode]</c>.</summary>
    public const string Name = "Nest.Generators";
}
