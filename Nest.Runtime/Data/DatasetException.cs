namespace Nest.Runtime.Data;

/// <summary>
/// A data set that cannot be used, with a message that names the file (or folder) and what is wrong,
/// so that bad input never surfaces as a crash deep inside TorchSharp.
/// </summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public DatasetException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner)
    {
        Path = path;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }
}
