using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Nest.Generators.Tests;

/// <summary>
/// A small snapshot helper with Verify's conventions (Verify itself cannot be restored here):
/// <c>Class.Test#Hint.verified.cs</c> beside the test file; on a mismatch the new text goes to
/// <c>.received.cs</c> and the test fails; <c>NEST_ACCEPT_SNAPSHOTS=1</c> accepts it instead.
/// A missing snapshot always fails, and under CI (<c>CI=true</c>) nothing is written at all.
/// </summary>
internal static partial class Snapshot
{
    public static void Verify(string actual, string hint, [CallerFilePath] string testFile = "",
        [CallerMemberName] string test = "")
    {
        var directory = Path.GetDirectoryName(testFile)!;
        var type = Path.GetFileNameWithoutExtension(testFile);
        var stem = Path.Combine(directory, $"{type}.{test}#{hint}");
        var verified = stem + ".verified.cs";
        var received = stem + ".received.cs";
        var text = Scrub(actual);

        if (File.Exists(verified) && Normalize(File.ReadAllText(verified)) == Normalize(text))
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }

        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var accept = Environment.GetEnvironmentVariable("NEST_ACCEPT_SNAPSHOTS") == "1";
        if (accept && !ci)
        {
            File.WriteAllText(verified, text);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (!ci) File.WriteAllText(received, text);
        var why = File.Exists(verified) ? "does not match" : "is missing";
        Assert.Fail($"Snapshot {Path.GetFileName(verified)} {why}." +
                    (ci ? "" : $" Compare {Path.GetFileName(received)}; rerun with NEST_ACCEPT_SNAPSHOTS=1 to accept."));
    }

    /// <summary>The generator version changes with every release; snapshots should not.</summary>
    static string Scrub(string text) => VersionPattern().Replace(text, "\"Nest.Generators\", \"{version}\"");

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    [GeneratedRegex("\"Nest\\.Generators\", \"[^\"]+\"")]
    private static partial Regex VersionPattern();
}
