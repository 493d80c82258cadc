using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>Training produced a non-finite number (NaN or infinity) in the loss, a gradient or a weight; the message
/// names the first layer found with one, and the batch.</summary>
public sealed class DivergenceException(string message, string? layer) : Exception(message)
{
    /// <summary>The first parameter found non-finite (<c>fc1.weight_orig</c>), or null when only the loss
    /// was.</summary>
    public string? Layer { get; } = layer;

    /// <summary>The first parameter of <paramref name="model"/> (or its gradient) holding a NaN or an infinity, or
    /// null.</summary>
    public static string? FirstNonFinite(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.isfinite().all().item<bool>()) return name;
            if (parameter.grad is { } grad && !grad.isfinite().all().item<bool>()) return name + " (gradient)";
        }
        return null;
    }

    /// <summary>Where a non-finite loss comes from: the first non-finite parameter or gradient, else (weights still
    /// finite, but so large that the logits overflow) the parameter of largest magnitude, with it.</summary>
    public static string Culprit(nn.Module model)
    {
        if (FirstNonFinite(model) is { } name) return name;
        using var _ = no_grad();
        var (largest, magnitude) = model.named_parameters()
            .Select(p => (p.name, (double)p.parameter.abs().max().item<float>()))
            .MaxBy(p => p.Item2);
        return $"{largest} (finite, but of magnitude {magnitude:G3})";
    }
}
