namespace Nest.Cli;

/// <summary>
/// A command's output folder, claimed before anything is written: never the folder of another run unless asked
/// (<c>--overwrite</c>) or resumed, and locked for the life of the run so that a second process on the same folder is
/// refused. The lock is an exclusively opened file (<c>.nest.lock</c>, holding the process id): the operating system
/// releases it when the process dies, so a lock left by a killed run is stale by construction and taken over.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string LockName = ".nest.lock";

    /// <summary>Files that say a folder holds a Nest run.</summary>
    static readonly string[] RunFiles = ["command.json", "report.json", "model.nestmodel", "checkpoints"];

    readonly FileStream _lock;

    RunFolder(string path, FileStream lockFile) => (Path, _lock) = (path, lockFile);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Checks <paramref name="path"/> (from <paramref name="option"/>) and locks it.</summary> <param
    /// name="path">The folder, created when missing.</param> <param name="option">The option that named it, for
    /// messages.</param> <param name="mayHoldRun">True when continuing the run already there (<c>--resume</c>) or when
    /// asked to replace it.</param> <exception cref="UsageException">The path is empty or names a file.</exception>
    /// <exception cref="CommandFailedException">It holds another run, another process is using it, or it cannot be
    /// written.</exception>
    public static RunFolder Claim(string path, string option, bool mayHoldRun)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new UsageException($"{option} must name a folder (got an empty path)");
        if (File.Exists(path)) throw new UsageException($"{option} '{path}' is a file, not a folder");
        if (!mayHoldRun && Directory.Exists(path)
            && RunFiles.FirstOrDefault(f =>
            File.Exists(System.IO.Path.Combine(path, f))
                || Directory.Exists(System.IO.Path.Combine(path, f))) is { } found)
            throw new CommandFailedException($"'{path}' holds another run ({found}); nothing was changed. Continue it with --resume {path}, " +
                                             $"choose another {option}, or pass --overwrite to replace it");
        try
        {
            Directory.CreateDirectory(path);
            var lockPath = System.IO.Path.Combine(path, LockName);
            var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
            stream.Write(pid);
            stream.Flush(flushToDisk: true);
            return new RunFolder(path, stream);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException
            && Directory.Exists(path) && IsLocked(path))
        {
            throw new CommandFailedException($"another nest process is using '{path}' ({LockName} is locked); nothing was changed");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write to '{path}' ({e.Message}); nothing was changed");
        }
    }

    static bool IsLocked(string path)
    {
        try
        {
            using var probe =
                new FileStream(System.IO.Path.Combine(path, LockName), FileMode.Open, FileAccess.ReadWrite,
                    FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Releases the lock and removes its file.</summary>
    public void Dispose()
    {
        _lock.Dispose();
        try
        {
            File.Delete(System.IO.Path.Combine(Path, LockName));
        }
        catch (IOException)
        {
            // Another process took the folder over between the two calls: its lock stays.
        }
    }
}
