using System.Text.Json;

namespace Nest.Cli;

/// <summary>A command that cannot go on (no checkpoint to resume, a checkpoint of another run): exit code 1.</summary>
public sealed class CommandFailedException(string message) : Exception(message);

/// <summary>
/// <c>nest synthesize --resume DIR</c>: the options come from the run that wrote DIR (its <c>command.json</c>), so
/// that the resumed run has the schedule its checkpoints were taken under. Only options that do not change
/// the result may be given again: threads, progress display, kernels, the data folder.
/// </summary>
public static class ResumeArguments
{
    /// <summary>The file in a run's folder that holds its options.</summary>
    public const string FileName = "command.json";

    static readonly string[] Overridable = ["threads", "no-progress", "kernels", "data"];

    /// <summary>The options of the run in <c>--resume DIR</c> with this command's overridable ones in their place and
    /// <c>--out DIR</c>; <paramref name="args"/> as given when it has no <c>--resume</c>.</summary>
    /// <exception cref="UsageException">An option other than the overridable ones is given with --resume.</exception>
    /// <exception cref="CommandFailedException">DIR has no readable command.json.</exception>
    public static string[] Merge(string[] args, IReadOnlySet<string> flags)
    {
        var given = Split(args, flags);
        var resumes = given.Where(o => o.Name == "resume").ToList();
        if (resumes.Count > 1) throw new UsageException("option --resume is given twice");
        var resume = resumes.FirstOrDefault();
        if (resume.Name is null) return args;
        var folder = resume.Tokens.Length == 2 ? resume.Tokens[1] : resume.Tokens[0][("--resume=".Length)..];
        var others = given.Where(o => o.Name != "resume").ToList();
        if (others.FirstOrDefault(o => !Overridable.Contains(o.Name)) is { Name: not null } refused)
            throw new UsageException($"--{refused.Name} cannot be given with --resume: a resumed run takes the options of the run it continues " +
                                     $"(from {Path.Combine(folder, FileName)}); only {string.Join(", ", Overridable.Select(o => "--" + o))} may change");
        var path = Path.Combine(folder, FileName);
        string[] saved;
        try
        {
            saved = JsonSerializer.Deserialize<string[]>(File.ReadAllText(path)) ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CommandFailedException($"cannot resume from '{folder}': its {FileName} is missing or unreadable ({e.Message})");
        }
        var kept = Split(saved, flags).Where(o => o.Name != "out" && !others.Any(g => g.Name == o.Name));
        return [.. kept.SelectMany(o => o.Tokens), .. others.SelectMany(o => o.Tokens), "--out", folder, "--resume",
            folder];
    }

    // Options as (name, its tokens): "--name value", "--name=value" or a bare flag.
    static List<(string Name, string[] Tokens)> Split(string[] args, IReadOnlySet<string> flags)
    {
        var options = new List<(string, string[])>();
        for (int i = 0; i < args.Length; i++)
        {
            var name =
                args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..].Split('=')[0]
                    : throw new UsageException($"unexpected argument '{args[i]}'");
            var takesValue = !args[i].Contains('=') && !flags.Contains(name);
            if (takesValue && i + 1 >= args.Length) throw new UsageException($"option --{name} needs a value");
            options.Add((name, takesValue ? [args[i], args[++i]] : [args[i]]));
        }
        return options;
    }
}
