namespace Nest.Cli;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, in order
/// (<see cref="Progress{T}"/> would post to the thread pool in a console app).</summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
