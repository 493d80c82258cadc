using static TorchSharp.torch;

namespace Nest.Runtime;

/// <summary>Checks and reshapes the input of a generated seed's <c>forward</c>.</summary>
public static class SeedInput
{
    /// <summary>
    /// Views <paramref name="input"/> as a batch of samples of <paramref name="sampleShape"/>; accepts any
    /// layout with the right number of values per sample (e.g. MNIST as N x 784 or N x 1 x 28 x 28).
    /// </summary>
    /// <exception cref="ArgumentException">The values per sample do not match; the message names the seed.</exception>
    public static Tensor Reshape(Tensor input, long[] sampleShape, string seed)
    {
        long perSample = 1;
        foreach (var d in sampleShape) perSample *= d;
        if (input.Dimensions < 1)
            throw new ArgumentException($"Seed '{seed}' expects a batch of inputs of shape {Format(sampleShape)}, got a scalar.", nameof(input));
        long actual = input.numel() / Math.Max(1, input.shape[0]);
        if (actual != perSample || input.shape[0] * actual != input.numel())
            throw new ArgumentException(
                $"Seed '{seed}' expects inputs of shape [batch, {string.Join(", ", sampleShape)}] ({perSample} values per sample), got {Format(input.shape)}.",
                nameof(input));
        var shape = new long[sampleShape.Length + 1];
        shape[0] = input.shape[0];
        sampleShape.CopyTo(shape, 1);
        return input.reshape(shape);
    }

    static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
