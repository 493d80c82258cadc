using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>
/// The running mean of a model's parameters over the iterates it is shown (<see cref="TrainingOptions.AverageEpochs"/>),
/// written back into the model at the end. A masked weight is zero in every iterate (see <see cref="Trainer"/>), so it
/// stays zero in the mean. Parameters only: the seeds have no batch-norm statistics to recompute.
/// </summary>
public sealed class IterateAverage : IDisposable
{
    readonly TorchSharp.Modules.Parameter[] _parameters;
    readonly Tensor[] _means;
    long _count;

    /// <summary>Starts an empty average of <paramref name="model"/>'s parameters.</summary>
    public IterateAverage(nn.Module model)
    {
        _parameters = model.parameters().ToArray();
        using var _ = no_grad();
        _means = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Iterates added so far.</summary>
    public long Count => _count;

    /// <summary>Adds the model's current parameters: mean += (p - mean) / n.</summary>
    public void Add()
    {
        _count++;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < _parameters.Length; i++)
            _means[i].add_(_parameters[i].detach().sub(_means[i]), alpha: 1.0 / _count);
    }

    /// <summary>Writes the mean into the model's parameters (nothing when no iterate was added).</summary>
    public void CopyToModel()
    {
        if (_count == 0) return;
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Length; i++) _parameters[i].copy_(_means[i]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var mean in _means) mean.Dispose();
    }
}
