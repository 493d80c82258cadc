using System.Linq;
using Microsoft.CodeAnalysis;

namespace Nest.Generators;

/// <summary>A diagnostic as a value: descriptor, location and message arguments rendered to strings.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location,
    EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location,
        params object[] arguments) =>
        new(descriptor, location, arguments.Select(a => Format.Value(a)).ToEquatableArray());

    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), Arguments.Select(a => (object)a).ToArray());
}
