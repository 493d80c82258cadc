using System.Numerics;
using System.Runtime.InteropServices;
using Nest.Runtime.Growth;
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
    public static Tensor Apply(Tensor images, Generator generator, double maxDegrees = 10, double maxScaleChange = 0.1,
        double maxShiftPixels = 2)
    {
        var n = images.shape[0];
        // Every scalar through Scalars: an implicit one can be collected while LibTorch reads it.
        var angle = rand(new long[] { n }, generator: generator).Symmetric().Times(maxDegrees * Math.PI / 180);
        var scale = rand(new long[] { n }, generator: generator).Times(2 * maxScaleChange).Plus(1 - maxScaleChange);
        // affine_grid works in [-1, 1] coordinates: a shift of p pixels is 2p / size.
        var tx = rand(new long[] { n }, generator: generator).Symmetric().Times(2 * maxShiftPixels / images.shape[3]);
        var ty = rand(new long[] { n }, generator: generator).Symmetric().Times(2 * maxShiftPixels / images.shape[2]);
        var cos = scale * angle.cos();
        var sin = scale * angle.sin();
        // Drawn on the CPU (the generator's), so that a seed gives the same distortions on every device.
        var theta = stack(new[]
        {
            stack(new[] { cos, -sin, tx }, 1),
            stack(new[] { sin, cos, ty }, 1),
        }, 1);
        var grid = Grid(theta, images.shape[2], images.shape[3]).to(images.device);
        var background = images.amin(new long[] { 1, 2, 3 }, keepdim: true);
        return nn.functional.grid_sample(images - background, grid, align_corners: false) + background;
    }

    /// <summary>The sampling grid <c>[N, H, W, 2]</c> of the affine maps <paramref name="theta"/> <c>[N, 2, 3]</c>,
    /// on the CPU, exactly the values of LibTorch's <c>affine_grid</c> (without corner alignment), whose batched
    /// product of three terms per value costs a small network's training batch more than its arithmetic on a CPU
    /// (<c>bench/Nest.Benchmarks --batch-costs</c> times both).</summary>
    /// <remarks>The product sums x t0 + y t1 + 1 t2 in that order with one rounding per operation, as the vectors here
    /// do (.NET does not fuse a multiply and an add); the base grid's coordinates are affine_grid's own.</remarks>
    public static Tensor Grid(Tensor theta, long height, long width)
    {
        var n = theta.shape[0];
        var t = TensorArrays.Read(theta);
        var (xs, ys) = BaseCoordinates(height, width);
        var grid = empty(new[] { n, height, width, 2 }, float32);
        var values = MemoryMarshal.Cast<byte, float>(grid.bytes);   // the new tensor's own memory
        var perImage = xs.Length;   // H x W x 2, x and y of each position interleaved
        var lanes = Vector<float>.Count;
        Span<float> pattern = stackalloc float[3 * lanes];
        for (long i = 0; i < n; i++)
        {
            // Lanes alternate between the map's first row (x') and its second (y').
            for (int l = 0; l < lanes; l++)
                for (int term = 0; term < 3; term++) pattern[term * lanes + l] = t[i * 6 + (l % 2) * 3 + term];
            var a = new Vector<float>(pattern[..lanes]);
            var b = new Vector<float>(pattern.Slice(lanes, lanes));
            var c = new Vector<float>(pattern.Slice(2 * lanes, lanes));
            var image = values.Slice(checked((int)(i * perImage)), perImage);
            int k = 0;
            for (; k + lanes <= perImage; k += lanes)
                (new Vector<float>(xs, k) * a + new Vector<float>(ys, k) * b + c).CopyTo(image[k..]);
            for (; k < perImage; k++)
                image[k] = xs[k] * pattern[k % 2] + ys[k] * pattern[lanes + k % 2] + pattern[2 * lanes + k % 2];
        }
        return grid;
    }

    static readonly Dictionary<(long, long), (float[] X, float[] Y)> Coordinates = new();

    // affine_grid's own coordinates of every grid value's position (x and y repeated for both of its values), read
    // once per image size from the identity map's grid. Each tensor is disposed by name: this runs inside a training
    // batch's dispose scope, and a scope nested there made the optimizer's next step fail on a freed scalar (TorchSharp
    // 0.107).
    static (float[] X, float[] Y) BaseCoordinates(long height, long width)
    {
        lock (Coordinates)
        {
            if (Coordinates.TryGetValue((height, width), out var known)) return known;
            using var identity = eye(2, 3).unsqueeze(0);
            using var grid = nn.functional.affine_grid(identity, new[] { 1, 1, height, width }, align_corners: false);
            var values = TensorArrays.Read(grid);   // [x, y] per position: the identity's x' is x, its y' is y
            var x = new float[values.Length];
            var y = new float[values.Length];
            for (int k = 0; k < values.Length; k += 2)
            {
                x[k] = x[k + 1] = values[k];
                y[k] = y[k + 1] = values[k + 1];
            }
            return Coordinates[(height, width)] = (x, y);
        }
    }
}
