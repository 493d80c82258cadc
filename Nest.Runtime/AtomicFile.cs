namespace Nest.Runtime;

/// <summary>
/// How Nest writes every file (reports, plots, checkpoints, models, exports): into a temporary file beside the target,
/// flushed to the disk, then renamed over it, so a reader never sees half a file and a crash or a full disk during the
/// write leaves what was there before.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The write failed (a full disk among other causes): the message names the file;
    /// nothing at <paramref name="path"/> changed and no temporary file is left.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = path + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, temporary, e);
        }
    }

    /// <summary>Has <paramref name="write"/> write the temporary file (a library that writes files by name itself),
    /// then renames it over <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The write failed; as <see cref="Write(string, ReadOnlySpan{byte})"/>.</exception>
    public static void Write(string path, Action<string> write)
    {
        var temporary = path + ".tmp";
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Failed(path, temporary, e);
        }
    }

    static IOException Failed(string path, string temporary, Exception e)
    {
        try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return new IOException($"Could not write '{path}' ({e.Message}); nothing there was changed.", e);
    }
}
