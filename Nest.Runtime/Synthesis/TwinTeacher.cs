using TorchSharp;
using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// A live distillation teacher held in a second instance of the seed (its twin), made wide enough
/// to take the network as it is now and given its weights, masks and area masks: the student can then
/// change shape (dead units removed physically while pruning goes on) without touching the teacher,
/// and a teacher pass needs no weight swapping (compare <see cref="SnapshotTeacher"/>, which swaps the
/// teacher's weights through the student's own layers and so pins the student's shapes).
/// </summary>
public sealed class TwinTeacher : IDisposable
{
    readonly ISeedNetwork _twin;
    readonly nn.Module<Tensor, Tensor> _module;

    /// <summary>Makes <paramref name="createTwin"/>'s network into a copy of <paramref name="network"/> as it is
    /// now.</summary> <param name="network">The teacher's state.</param> <param name="createTwin">A new instance of the
    /// same seed (its weights are overwritten).</param> <exception cref="ArgumentException">The twin is of another
    /// seed.</exception>
    public TwinTeacher(ISeedNetwork network, Func<ISeedNetwork> createTwin)
    {
        _twin = createTwin();
        _module = (nn.Module<Tensor, Tensor>)_twin;
        try
        {
            if (_twin.Topology.Name != network.Topology.Name)
                throw new ArgumentException($"The twin is a '{_twin.Topology.Name}', the network a '{network.Topology.Name}'.", nameof(createTwin));
            // Resized to the network's widths on the way (growth widened it, pruning may have narrowed it).
            NetworkState.Capture(network).ApplyTo(_twin);
            _module.to(ComputeDevices.Of((nn.Module)network));
            _module.eval();
        }
        catch
        {
            _module.Dispose();
            throw;
        }
    }

    /// <summary>The teacher's logits for <paramref name="images"/>, in evaluation mode, without gradients.</summary>
    public Tensor Logits(Tensor images)
    {
        using var _ = no_grad();
        return _module.forward(images).detach();
    }

    /// <inheritdoc />
    public void Dispose() => _module.Dispose();
}
