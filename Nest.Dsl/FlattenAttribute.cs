using System;

namespace Nest.Dsl;

/// <summary>Flattens <c>{ C, H, W }</c> to <c>{ C*H*W }</c> in channel-major order (a <c>Flatten</c>
/// property).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class FlattenAttribute : Attribute
{
}
