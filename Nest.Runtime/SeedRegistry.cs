namespace Nest.Runtime;

/// <summary>A seed a program can synthesize by name: what the generator registers for every valid
/// <c>[SeedNetwork]</c> class of an assembly.</summary>
/// <param name="Name">The class name, as <c>--seed</c> takes it (case-insensitive).</param>
/// <param name="FullName">The namespace-qualified class name, which tells two seeds of one name apart.</param>
/// <param name="Topology">The seed as the generator resolved it.</param>
/// <param name="Create">A new seed (or, with true, its dense reference) from a random seed value.</param>
public sealed record SeedEntry(string Name, string FullName, SeedTopology Topology, Func<long, bool,
    ISeedNetwork> Create);

/// <summary>
/// The seeds of the loaded assemblies. The generator writes a module initializer into every assembly that declares
/// seeds, which registers them here when that assembly loads; nothing is found by scanning at run time.
/// </summary>
public static class SeedRegistry
{
    static readonly object Gate = new();
    static readonly List<SeedEntry> Entries = [];

    /// <summary>Every registered seed, in registration order.</summary>
    public static IReadOnlyList<SeedEntry> All
    {
        get { lock (Gate) return Entries.ToArray(); }
    }

    /// <summary>Adds seeds (the generated registration calls this); a seed of a full name already registered is
    /// not added twice.</summary>
    public static void Register(params SeedEntry[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (Gate)
        {
            foreach (var entry in entries)
                if (!Entries.Any(e => e.FullName == entry.FullName)) Entries.Add(entry);
        }
    }

    /// <summary>The seed called <paramref name="name"/>: its class name or full name, case-insensitive, '-' and '_'
    /// ignored (so <c>lenet300-masked</c> finds <c>LeNet300Masked</c>). Null when none is; throws when the name
    /// is ambiguous (two namespaces declare it), naming both full names.</summary>
    public static SeedEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Key(name);
        var all = All;
        var found = all.Where(e => Key(e.FullName) == key).ToList();
        if (found.Count == 0) found = all.Where(e => Key(e.Name) == key).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new ArgumentException(
                $"seed '{name}' is ambiguous: {string.Join(", ", found.Select(e => e.FullName))}; give the full name",
                    nameof(name)),
        };
    }

    /// <summary>Whether two seed names are the same name as <see cref="Find"/> matches them (case, '-' and '_'
    /// ignored).</summary>
    public static bool SameName(string a, string b) => Key(a) == Key(b);

    static string Key(string name) => name.Replace("-", "", StringComparison.Ordinal)
        .Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
}
