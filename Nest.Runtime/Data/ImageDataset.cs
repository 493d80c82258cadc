using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>
/// Images and labels as tensors: images float32 <c>[N, C, H, W]</c>, already normalised; labels int64 <c>[N]</c>.
/// Owns its tensors.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Wraps tensors (taking ownership) under a name used in messages and reports.</summary>
    public ImageDataset(string name, Tensor images, Tensor labels, int classes)
    {
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"{name}: {images.shape[0]} images but {labels.shape[0]} labels");
        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        Classes = classes;
    }

    /// <summary>What the data is, e.g. "mnist/train".</summary>
    public string Name { get; }
    /// <summary>float32 <c>[N, C, H, W]</c>.</summary>
    public Tensor Images { get; }
    /// <summary>int64 <c>[N]</c>, each in [0, <see cref="Classes"/>).</summary>
    public Tensor Labels { get; }
    /// <summary>Number of classes.</summary>
    public int Classes { get; }
    /// <summary>Number of samples.</summary>
    public int Count => (int)Images.shape[0];
    /// <summary>Shape of one sample.</summary>
    public long[] SampleShape => Images.shape[1..];

    /// <summary>A new data set over rows [start, start + count), copied.</summary>
    public ImageDataset Slice(string name, int start, int count) =>
        new(name, Images.narrow(0, start, count).clone(), Labels.narrow(0, start, count).clone(), Classes);

    /// <summary>A new data set holding the rows of <paramref name="first"/> then those of <paramref name="second"/>, copied.</summary>
    /// <exception cref="ArgumentException">The two differ in sample shape or classes.</exception>
    public static ImageDataset Concat(string name, ImageDataset first, ImageDataset second)
    {
        if (!first.SampleShape.SequenceEqual(second.SampleShape) || first.Classes != second.Classes)
            throw new ArgumentException($"{name}: cannot join {first.Name} ([{string.Join(", ", first.SampleShape)}], {first.Classes} classes) " +
                                        $"with {second.Name} ([{string.Join(", ", second.SampleShape)}], {second.Classes} classes)");
        return new(name, cat(new[] { first.Images, second.Images }, 0), cat(new[] { first.Labels, second.Labels }, 0), first.Classes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
