using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>
/// Small random affine distortions for training augmentation, as the PyTorch peer uses: rotation
/// within +-10 degrees, scale 0.9 to 1.1, shift within +-2 pixels (of 28), bilinear, the background
/// kept at the normalised value of black.
/// </summary>
public static class RandomAffine
{
    /// <summary>Distorts a batch <c>[N, C, H, W]</c>; all randomness comes from <paramref name="generator"/>.</summary>
    public static Tensor Apply(Tensor images, Generator generator, double maxDegrees = 10, double maxScaleChange = 0.1, double maxShiftPixels = 2)
    {
        var n = images.shape[0];
        var angle = (rand(new long[] { n }, generator: generator) * 2 - 1) * (maxDegrees * Math.PI / 180);
        var scale = rand(new long[] { n }, generator: generator) * (2 * maxScaleChange) + (1 - maxScaleChange);
        // affine_grid works in [-1, 1] coordinates: a shift of p pixels is 2p / size.
        var tx = (rand(new long[] { n }, generator: generator) * 2 - 1) * (2 * maxShiftPixels / images.shape[3]);
        var ty = (rand(new long[] { n }, generator: generator) * 2 - 1) * (2 * maxShiftPixels / images.shape[2]);
        var cos = scale * angle.cos();
        var sin = scale * angle.sin();
        // Drawn on the CPU (the generator's), so that a seed gives the same distortions on every device.
        var theta = stack(new[]
        {
            stack(new[] { cos, -sin, tx }, 1),
            stack(new[] { sin, cos, ty }, 1),
        }, 1).to(images.device);
        var grid = nn.functional.affine_grid(theta, images.shape, align_corners: false);
        var background = images.amin(new long[] { 1, 2, 3 }, keepdim: true);
        return nn.functional.grid_sample(images - background, grid, align_corners: false) + background;
    }
}
