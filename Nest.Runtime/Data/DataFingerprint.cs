using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>A short SHA-256 of data sets' inputs and labels as the run sees them (scaled, split): a checkpoint carries
/// it, so that a resume on other data with the same counts is refused instead of going on silently.</summary>
public static class DataFingerprint
{
    /// <summary>The first 16 bytes of the SHA-256 of every set's images and labels, in order, as hex.</summary>
    public static string Of(params ImageDataset[] sets)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var set in sets)
        {
            using var scope = NewDisposeScope();
            hash.AppendData(set.Images.contiguous().cpu().bytes);
            hash.AppendData(set.Labels.contiguous().cpu().bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset()[..16]).ToLowerInvariant();
    }
}
