using System.Globalization;

namespace Nest.Runtime.Synthesis;

/// <summary>
/// A folder of synthesis checkpoints, <c>step-NNNN.nestckpt</c>. Each is written atomically
/// (<see cref="AtomicFile"/>), so a crash (or a full disk) during a write leaves the earlier ones
/// whole. The newest <see cref="Keep"/> are kept, so that one found damaged falls back to the one before; the one taken
/// when the grown network converged (<see cref="ConvergedPath"/>) is kept apart, to prune it again, and so is the one
/// taken after the variational step (<see cref="SparsifiedPath"/>), to prune again without repeating that step.
/// </summary>
public sealed class CheckpointStore
{
    const string Extension = ".nestckpt";
    const string Prefix = "step-";
    const string ConvergedName = "converged" + Extension;
    const string SparsifiedName = "sparsified" + Extension;

    /// <summary>Uses <paramref name="folder"/> (created on the first write).</summary>
    /// <param name="folder">Where the checkpoints go.</param>
    /// <param name="every">Write one after every this many steps (and always at a finish request).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is below 1.</exception>
    public CheckpointStore(string folder, int every = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        (Folder, Every) = (folder, every);
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>Steps between two checkpoints.</summary>
    public int Every { get; }

    /// <summary>How many of the newest checkpoints are kept.</summary>
    public int Keep { get; init; } = 2;

    /// <summary>Writes <paramref name="checkpoint"/> atomically and drops the older ones beyond <see cref="Keep"/>;
    /// returns its path.</summary> <exception cref="IOException">The write failed (a full disk among other causes): the
    /// message names the file, and the checkpoints written before are untouched.</exception>
    public string Save(SynthesisCheckpoint checkpoint)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{Prefix}{checkpoint.Header.Step:D4}{Extension}");
        var bytes = checkpoint.ToBytes();
        AtomicFile.Write(path, bytes);
        foreach (var old in Files().Skip(Keep)) TryDelete(old.Path);
        return path;
    }

    /// <summary>The checkpoint taken when the grown network had converged, kept apart from the newest ones for the
    /// whole run: the network every pruning step descends from, to prune again under other pruning options
    /// (<see cref="SynthesisCheckpoint.EnsurePrunable"/>).</summary>
    public string ConvergedPath => Path.Combine(Folder, ConvergedName);

    /// <summary>Writes <paramref name="checkpoint"/> atomically as the converged network's
    /// (<see cref="ConvergedPath"/>).</summary>
    /// <exception cref="IOException">The write failed: the message names the file.</exception>
    public string SaveConverged(SynthesisCheckpoint checkpoint)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.Write(ConvergedPath, checkpoint.ToBytes());
        return ConvergedPath;
    }

    /// <summary>The converged network's checkpoint (<see cref="ConvergedPath"/>).</summary>
    /// <exception cref="FileNotFoundException">There is none: the message names the file.</exception>
    /// <exception cref="InvalidDataException">It is damaged or of another format: the message says which.</exception>
    public SynthesisCheckpoint LoadConverged()
    {
        if (!File.Exists(ConvergedPath))
            throw new FileNotFoundException($"no converged network in '{ConvergedPath}' (a run writes it when its " +
                                            "checkpoints are on and its grown network has converged)", ConvergedPath);
        return SynthesisCheckpoint.FromBytes(File.ReadAllBytes(ConvergedPath));
    }

    /// <summary>The checkpoint taken once the variational step was settled (kept or undone), kept apart for the whole
    /// run: the magnitude loop's start, to prune again under other options of that loop and of the area
    /// (<see cref="SynthesisCheckpoint.EnsurePrunableAfterSparsifying"/>) without the variational step's training.
    /// </summary>
    public string SparsifiedPath => Path.Combine(Folder, SparsifiedName);

    /// <summary>Writes <paramref name="checkpoint"/> atomically as the sparsified network's
    /// (<see cref="SparsifiedPath"/>).</summary>
    /// <exception cref="IOException">The write failed: the message names the file.</exception>
    public string SaveSparsified(SynthesisCheckpoint checkpoint)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.Write(SparsifiedPath, checkpoint.ToBytes());
        return SparsifiedPath;
    }

    /// <summary>The sparsified network's checkpoint (<see cref="SparsifiedPath"/>), or null when the run wrote none
    /// (no variational step).</summary>
    /// <exception cref="InvalidDataException">It is damaged or of another format: the message says which.</exception>
    public SynthesisCheckpoint? LoadSparsified() =>
        File.Exists(SparsifiedPath) ? SynthesisCheckpoint.FromBytes(File.ReadAllBytes(SparsifiedPath)) : null;

    /// <summary>Deletes the checkpoints of an earlier run in the folder, those kept apart included (a new run must not
    /// leave them to be resumed or pruned again as its own); returns how many.</summary>
    public int Clear()
    {
        var files = Files().Select(f => f.Path).Append(SparsifiedPath).Append(ConvergedPath).Where(File.Exists)
            .ToList();
        foreach (var path in files) File.Delete(path);
        return files.Count;
    }

    /// <summary>The newest checkpoint that reads back whole, or null when there is none; each one skipped (damaged,
    /// truncated, of another format) is reported to <paramref name="skipped"/> with its reason.</summary> <param
    /// name="skipped">Told of each checkpoint passed over, and why.</param> <param name="refuse">When given, the reason
    /// a whole checkpoint does not belong to this run (another seed, schedule or data), or null: such a checkpoint is
    /// passed over too, and an older one of this run is taken.</param>
    public (SynthesisCheckpoint Checkpoint, string Path)? LoadNewest(Action<string>? skipped = null,
        Func<SynthesisCheckpoint, string?>? refuse = null) =>
        FirstWhole(Files().Select(f => f.Path), skipped, refuse);

    // The first of the paths that reads back whole and is not refused; each one passed over told to skipped.
    static (SynthesisCheckpoint Checkpoint, string Path)? FirstWhole(IEnumerable<string> paths, Action<string>? skipped,
        Func<SynthesisCheckpoint, string?>? refuse)
    {
        foreach (var path in paths)
        {
            try
            {
                var checkpoint = SynthesisCheckpoint.FromBytes(File.ReadAllBytes(path));
                if (refuse?.Invoke(checkpoint) is { } reason)
                {
                    skipped?.Invoke($"skipping checkpoint '{path}': {reason}");
                    continue;
                }
                return (checkpoint, path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                skipped?.Invoke($"skipping checkpoint '{path}': {e.Message}");
            }
        }
        return null;
    }

    /// <summary>The newest checkpoint of this run that reads back whole: one of the seed <paramref name="network"/>
    /// under <paramref name="schedule"/> on exactly these data (counts and <see cref="Data.DataFingerprint"/>). Damaged
    /// ones and those of another seed, schedule or data are passed over, each told to <paramref name="skipped"/>, so
    /// that an older checkpoint of this run is taken. Temporary files that a crash left in the middle of a write are
    /// removed.</summary> <exception cref="InvalidOperationException">No checkpoint of this run: the message names the
    /// folder and the last reason one was refused.</exception>
    public (SynthesisCheckpoint Checkpoint, string Path) LoadForResume(string network, SynthesisSchedule schedule,
        Data.ImageDataset train, Data.ImageDataset validation, Action<string>? skipped = null)
    {
        RemoveUnfinishedWrites();
        var fingerprint = Data.DataFingerprint.Of(train, validation);
        string? lastReason = null;
        string? Refuse(SynthesisCheckpoint candidate)
        {
            try
            {
                candidate.EnsureResumable(network, schedule, train.Count, validation.Count, fingerprint);
                return null;
            }
            catch (InvalidOperationException e)
            {
                return lastReason = e.Message;
            }
        }
        // The converged network's checkpoint is the run's oldest: taken before any step checkpoint of pruning.
        var paths = Files().Select(f => f.Path).Append(ConvergedPath).Where(File.Exists);
        var found = FirstWhole(paths, skipped, Refuse);
        return found ?? throw new InvalidOperationException(
            $"no checkpoint of this run to resume from in '{Folder}'{(lastReason is null ? "" : $" (last refused: {lastReason})")}");
    }

    /// <summary>Deletes the temporary files of checkpoint writes that never finished (a crash between the first byte
    /// and the rename): none is ever read, and each may be as large as a checkpoint. Returns how many.</summary>
    public int RemoveUnfinishedWrites()
    {
        if (!Directory.Exists(Folder)) return 0;
        var files = Directory.EnumerateFiles(Folder, "*" + Extension + ".tmp").ToList();
        foreach (var path in files) TryDelete(path);
        return files.Count;
    }

    // Newest first, by the step in the name (not the file time, which a copy changes).
    IEnumerable<(string Path, int Step)> Files() =>
        !Directory.Exists(Folder) ? [] :
        Directory.EnumerateFiles(Folder, Prefix + "*" + Extension)
            .Select(p =>
                (Path: p,
                    Step: int.TryParse(Path.GetFileNameWithoutExtension(p)[Prefix.Length..], NumberStyles.None,
                    CultureInfo.InvariantCulture, out var s) ? s : -1))
            .Where(f => f.Step >= 0)
            .OrderByDescending(f => f.Step)
            .ToList();

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
