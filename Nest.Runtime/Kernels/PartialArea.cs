namespace Nest.Runtime.Kernels;

/// <summary>The partial-area score of one (output map, input map, position), shared by both paths so
/// that they sum in the same order and agree bit for bit.</summary>
public static class PartialArea
{
    /// <summary>Mean over the batch of |the convolution of input map i with kernel (o, i) at (y, x)|;
    /// <paramref name="index"/> enumerates [O, I, OutHeight, OutWidth] row-major.</summary>
    public static float Score(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ConvGeometry g, long index)
    {
        int ow = g.OutWidth, oh = g.OutHeight;
        int x = (int)(index % ow);
        int y = (int)(index / ow % oh);
        int i = (int)(index / ((long)ow * oh) % g.InChannels);
        int o = (int)(index / ((long)ow * oh * g.InChannels));
        double total = 0;
        for (int b = 0; b < g.Batch; b++)
        {
            double sum = 0;
            for (int dy = 0; dy < g.Kernel; dy++)
            {
                int iy = y * g.Stride - g.Padding + dy;
                if (iy < 0 || iy >= g.Height) continue;
                for (int dx = 0; dx < g.Kernel; dx++)
                {
                    int ix = x * g.Stride - g.Padding + dx;
                    if (ix < 0 || ix >= g.Width) continue;
                    // In double, as the CUDA kernel (see MaskKernelSources.PartialAreaScores).
                    sum += (double)input[((b * g.InChannels + i) * g.Height + iy) * g.Width + ix]
                           * kernel[((o * g.InChannels + i) * g.Kernel + dy) * g.Kernel + dx];
                }
            }
            total += Math.Abs(sum);
        }
        return g.Batch > 0 ? (float)(total / g.Batch) : 0;
    }
}
