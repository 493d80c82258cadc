using Nest.Runtime;
using Nest.Runtime.Export;
using static TorchSharp.torch;

namespace Nest.Cli;

/// <summary>A saved model (<c>model.nestmodel</c>) loaded into an instance of its seed, for export and
/// inspect.</summary>
public static class ModelFile
{
    /// <exception cref="CommandFailedException">The file is missing, damaged, or of a seed this tool does not
    /// know.</exception>
    public static (ModelHeader Header, ISeedNetwork Network, nn.Module<Tensor, Tensor> Module) Load(string path)
    {
        if (Directory.Exists(path))
            throw new CommandFailedException($"'{path}' is a folder; a model file is wanted (model.nestmodel, as nest synthesize writes it)");
        (ModelHeader Header, Nest.Runtime.Synthesis.NetworkState State) saved;
        try
        {
            saved = SavedModel.Load(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(e is FileNotFoundException or DirectoryNotFoundException
                ? $"no saved model at '{path}' (nest synthesize writes model.nestmodel in its output folder)"
                : e.Message);
        }
        SeedEntry? entry;
        try
        {
            entry = SeedRegistry.Find(saved.Header.Seed);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException($"'{path}': {e.Message.Split(" (Parameter")[0]}");
        }
        if (entry is null)
            throw new CommandFailedException($"'{path}' is a model of seed '{saved.Header.Seed}', which this program does not declare ({SeedCatalog.Names})");
        var network = entry.Create(0, false);
        try
        {
            saved.State.ApplyTo(network);
        }
        catch (InvalidOperationException e)
        {
            ((IDisposable)network).Dispose();
            throw new CommandFailedException($"'{path}' does not fit seed '{entry.Name}': {e.Message}");
        }
        var module = SeedCatalog.AsModule(network);
        module.eval();
        return (saved.Header, network, module);
    }
}
