namespace Nest.Runtime;

/// <summary>The one way option records refuse a value: an <see cref="ArgumentOutOfRangeException"/> that names the
/// field, so that the command line can name the option that set it.</summary>
internal static class Refuse
{
    /// <summary>Throws when <paramref name="bad"/>, naming <paramref name="field"/> and its value.</summary>
    public static void When(bool bad, string field, object? value, string why)
    {
        if (bad) throw new ArgumentOutOfRangeException(field, value, why);
    }
}
