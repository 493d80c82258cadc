using Nest.Runtime.Synthesis;

namespace Nest.Runtime.Tests;

public class NetworkStateTests
{
    [Fact]
    public void AStateWithALayerIndexTheSeedDoesNotHaveIsRefusedBeforeAnythingChanges()
    {
        using var net = new TinyNet(randomSeed: 1);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            NetworkState.Capture(net).Write(writer);
        var bytes = buffer.ToArray();
        // The first layer's index follows the seed's name (a length byte and its characters) and the layer count.
        var at = 1 + "TinyNet".Length + 4;
        Assert.Equal(0, BitConverter.ToInt32(bytes, at));
        BitConverter.GetBytes(7).CopyTo(bytes, at);
        var state = NetworkState.Read(new BinaryReader(new MemoryStream(bytes)));
        using var other = new TinyNet(randomSeed: 2);
        var before = other.Hidden.weight_orig.detach().clone();

        var error = Assert.Throws<InvalidOperationException>(() => state.ApplyTo(other));

        Assert.Equal("Saved layer 7 is not a layer with weights of seed 'TinyNet' (2 layers).", error.Message);
        Assert.True(other.Hidden.weight_orig.equal(before).all().item<bool>(), "nothing changed");
    }

    [Fact]
    public void AStateWithAShortBiasIsRefusedNamingTheLayer()
    {
        // Written by hand in the state's format: the hidden layer (3 units of 4 inputs) with 2 biases.
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("TinyNet");
            w.Write(1);
            w.Write(0);
            w.Write(2); w.Write(3L); w.Write(4L);
            void Floats(int n) { w.Write(n); for (int i = 0; i < n; i++) w.Write(0.5f); }
            Floats(12);
            Floats(12);
            w.Write(true); Floats(2);
            w.Write(false);
            w.Write(false);
        }
        buffer.Position = 0;
        var state = NetworkState.Read(new BinaryReader(buffer));
        using var net = new TinyNet(randomSeed: 2);

        var error = Assert.Throws<InvalidOperationException>(() => state.ApplyTo(net));

        Assert.Equal("Layer 'Hidden': 2 saved biases for 3 units.", error.Message);
    }
}
