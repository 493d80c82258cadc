using System.Text;
using System.Text.Json;
using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Export;

/// <summary>What a saved model says about itself: the seed (as named on the command line), how its inputs are
/// scaled (<c>(pixel / 255 - InputMean) / InputStd</c>), and the figures measured when it was saved.</summary>
public sealed record ModelHeader(string Seed, string Input, float InputMean, float InputStd, double? TestError,
    double? ValidationError, long Parameters, long Flops);

/// <summary>
/// A synthesized network on disk (<c>model.nestmodel</c>): its <see cref="NetworkState"/> (any widths, masks and area
/// masks) with a <see cref="ModelHeader"/>, framed by <see cref="ChecksummedFile"/> ("NESTMODL", SHA-256) and written
/// atomically. <c>nest export</c> and <c>nest inspect</c> read it.
/// </summary>
public static class SavedModel
{
    static readonly byte[] Magic = "NESTMODL"u8.ToArray();
    const int FormatVersion = 1;

    /// <summary>Writes the network as it is now with <paramref name="header"/> to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The write failed; the message names the file (an earlier one there is
    /// intact).</exception>
    public static void Save(string path, ModelHeader header, ISeedNetwork network)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(header));
            NetworkState.Capture(network).Write(writer);
        }
        AtomicFile.Write(path, ChecksummedFile.Frame(Magic, buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>Reads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Not a saved model, another format version, truncated or altered: the
    /// message names the file and the reason.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static (ModelHeader Header, NetworkState State) Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            var body = ChecksummedFile.Unframe(bytes, Magic, "a saved Nest model");
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, body.Length), Encoding.UTF8);
            var version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"format version {version}; this Nest reads version {FormatVersion}");
            var header =
                JsonSerializer.Deserialize<ModelHeader>(reader.ReadString())
                    ?? throw new InvalidDataException("an empty header");
            return (header, NetworkState.Read(reader));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"'{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Reads a saved model into a new instance of its seed type: <c>SavedModel.Load(path, () =&gt; new
    /// LeNet300())</c> gives the synthesized network, resized and masked as it was saved, ready to evaluate or
    /// export.</summary> <exception cref="InvalidDataException">Not a saved model, or a model of another seed (the
    /// message names the file and both seeds) or shape.</exception>
    public static (ModelHeader Header, TSeed Network) Load<TSeed>(string path, Func<TSeed> create) where TSeed
        : ISeedNetwork
    {
        ArgumentNullException.ThrowIfNull(create);
        var (header, state) = Load(path);
        var network = create();
        if (!SeedRegistry.SameName(header.Seed, network.Topology.Name))
        {
            (network as IDisposable)?.Dispose();
            throw new InvalidDataException($"'{path}' is a model of seed '{header.Seed}', not '{network.Topology.Name}'");
        }
        try
        {
            state.ApplyTo(network);
        }
        catch (InvalidOperationException e)
        {
            (network as IDisposable)?.Dispose();
            throw new InvalidDataException($"'{path}' does not fit seed '{network.Topology.Name}': {e.Message}", e);
        }
        return (header, network);
    }
}
