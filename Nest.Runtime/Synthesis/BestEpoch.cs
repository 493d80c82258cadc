using Nest.Runtime.Training;

namespace Nest.Runtime.Synthesis;

/// <summary> Watches a training's per-epoch validation error and keeps a copy of the network at its best epoch, to go
/// back to when the last epoch is clearly worse: more than one standard error of the validation error (<see
/// cref="ValidationNoise"/>), as when a long training memorizes noisy labels. Within the noise the last epoch stays, so
/// that picking the luckiest of many readings does not lower the error every later limit is anchored on. </summary>
public sealed class BestEpoch(ISeedNetwork network, int validationCount) : IProgress<TrainingProgress>, IDisposable
{
    NetworkSnapshot? _best;
    double _bestError = double.PositiveInfinity, _lastError = double.NaN;
    int _bestEpoch, _lastEpoch;

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (value.Completed is not { } epoch || double.IsNaN(epoch.ValidationError)) return;
        (_lastError, _lastEpoch) = (epoch.ValidationError, epoch.Epoch);
        if (epoch.ValidationError >= _bestError) return;
        _best?.Dispose();
        (_best, _bestError, _bestEpoch) = (new NetworkSnapshot(network), epoch.ValidationError, epoch.Epoch);
    }

    /// <summary>Puts the best epoch's network back when the last is clearly worse; returns a line saying so, or
    /// null.</summary>
    public string? RestoreIfClearlyBetter()
    {
        if (_best is null || !(_lastError - _bestError > ValidationNoise.StandardError(_bestError, validationCount)))
            return null;
        _best.Restore();
        return $"kept epoch {_bestEpoch} of {_lastEpoch} (validation error {_bestError:P2}; {_lastError:P2} at the last epoch)";
    }

    /// <inheritdoc />
    public void Dispose() => _best?.Dispose();
}
