namespace Nest.Generators;

/// <summary>A valid seed as the registry lists it: only its names, so that a layer edit leaves the registry
/// cached.</summary>
internal sealed record RegisteredSeed(string? Namespace, string ClassName)
{
    /// <summary>The name the type is written with in C# (escaped keywords kept, as declared).</summary>
    public string TypeName => Namespace is null ? "global::" + ClassName : $"global::{Namespace}.{ClassName}";

    /// <summary>The name a user types: no '@' escapes.</summary>
    public string FullName => (Namespace is null ? ClassName : $"{Namespace}.{ClassName}").Replace("@", "");
}
