namespace Nest.Cli;

/// <summary>
/// Options that <c>nest synthesize</c> once had and no longer has, each removed after it was measured not to help
/// (docs/results.md, ablations): a script that still passes one learns why, not only that the option is unknown.
/// </summary>
public static class RemovedOptions
{
    static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["--final-epochs"] =
            "fine-tuning the kept network raised its validation error; the kept network is the final one",
        ["--prune-retries"] =
            "retraining a step over the limit again almost never kept it; such a step is undone at once",
        ["--growth-patience"] =
            "waiting for a second step short of the gain grew one more step every time, no better network",
        ["--average-epochs"] = "iterate averaging made no difference at any size",
        ["--late-prune-epochs"] = "longer late retraining made no difference",
        ["--refit"] = "fine-tuning on training and validation images did not lower the error",
        ["--regrow"] = "growth inside pruning was no better at any size",
        ["--weak-units"] = "weak-unit pruning went on further on lucky validation readings only",
        ["--distill-live"] = "a teacher run on every distorted batch was no better than one recorded once",
        ["--distill-recorded"] = "the teacher is always recorded once (a live one was no better)",
        ["--prune-cost"] = "FLOPs-weighted magnitude traded parameters for FLOPs; Taylor area scores meet both",
        ["--prune-cost-from"] = "FLOPs-weighted magnitude traded parameters for FLOPs; Taylor area scores meet both",
        ["--prune-score"] = "Fisher saliency and layer-adaptive magnitude (LAMP) were no better than magnitude",
    };

    /// <summary>The removed options' names (<c>--name</c>).</summary>
    public static IEnumerable<string> Names => Reasons.Keys;

    /// <summary>Why <paramref name="token"/> (an option as typed, <c>--name</c> or <c>--name=value</c>) was removed,
    /// or null when it is not a removed option.</summary>
    public static string? Why(string token)
    {
        var name = token.Split('=', 2)[0];
        return Reasons.TryGetValue(name, out var reason)
            ? $"{name} was removed: {reason} (docs/results.md, ablations)."
            : null;
    }
}
