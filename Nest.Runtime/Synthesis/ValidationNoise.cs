namespace Nest.Runtime.Synthesis;

/// <summary>
/// The sampling noise of an error rate read on a validation set: the binomial standard error
/// sqrt(p (1 - p) / n). Limits and stopping rules are written in these units, so that one default
/// means the same at 1% and at 11% error, on 500 or on 5,000 validation examples.
/// </summary>
public static class ValidationNoise
{
    /// <summary>The standard error of an error rate <paramref name="error"/> read on <paramref name="count"/> examples.
    /// The rate is first shrunk towards one half by one error and one success (p = (x + 1) / (n + 2)), so that a
    /// reading of 0 errors still has a noise of about one example rather than none.</summary>
    public static double StandardError(double error, int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
        if (!(error >= 0 && error <= 1))
            throw new ArgumentOutOfRangeException(nameof(error), error, "must be in [0, 1]");
        var p = (error * count + 1) / (count + 2.0);
        return Math.Sqrt(p * (1 - p) / count);
    }
}
