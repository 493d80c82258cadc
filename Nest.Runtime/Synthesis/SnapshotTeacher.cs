using static TorchSharp.torch;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// A live distillation teacher that is an earlier state of the very network being trained: for each
/// batch the teacher's weights and masks are copied in, the batch runs forward, and the student's are
/// copied back. No second module is needed (a generated seed has no clone), and the copies (a few MB
/// per batch for LeNet-5) cost far less than the forward pass itself. The network's shapes must not
/// change while the teacher is in use (pruning only masks; units are removed after the last use).
/// </summary>
public sealed class SnapshotTeacher : IDisposable
{
    readonly ISeedNetwork _network;
    readonly nn.Module<Tensor, Tensor> _module;
    readonly NetworkSnapshot _teacher;

    /// <summary>Records <paramref name="network"/> as it is now as the teacher.</summary>
    public SnapshotTeacher(ISeedNetwork network)
    {
        _network = network;
        _module = (nn.Module<Tensor, Tensor>)network;
        _teacher = new NetworkSnapshot(network);
    }

    /// <summary>The teacher's logits for <paramref name="images"/>, in evaluation mode and without
    /// gradients; the network is left exactly as it was (weights, masks, mode).</summary>
    /// <exception cref="InvalidOperationException">A layer changed shape since the teacher was recorded.</exception>
    public Tensor Logits(Tensor images)
    {
        using var student = new NetworkSnapshot(_network);
        var wasTraining = _module.training;
        using var _ = no_grad();
        try
        {
            _teacher.Restore();
            _module.eval();
            return _module.forward(images).detach();
        }
        finally
        {
            student.Restore();
            if (wasTraining) _module.train();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _teacher.Dispose();
}
