using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>
/// Examples and labels as tensors: examples float32 <c>[N, ...]</c> (images <c>[N, C, H, W]</c>, features
/// <c>[N, F]</c>), already normalised; labels int64 <c>[N]</c>.
/// Owns its tensors.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Wraps tensors (taking ownership) under a name used in messages and reports.</summary> <exception
    /// cref="ArgumentException">The tensors are not float32 examples and int64 labels in [0, classes), one label per
    /// example (the message names the data set and what is wrong): caught here, not deep inside LibTorch.</exception>
    public ImageDataset(string name, Tensor images, Tensor labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        Check(name, images, labels, classes);
        Name = name;
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        Classes = classes;
    }

    static void Check(string name, Tensor images, Tensor labels, int classes)
    {
        if (classes < 2)
            throw new ArgumentException($"{name}: {classes} classes; at least 2 are needed", nameof(classes));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"{name}: examples are {images.dtype}; float32 is needed (convert with .to(float32))", nameof(images));
        if (images.dim() < 2)
            throw new ArgumentException($"{name}: examples have shape [{string.Join(", ", images.shape)}]; [N, features...] is needed", nameof(images));
        if (labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"{name}: labels are {labels.dtype}; int64 is needed (convert with .to(int64))",
                nameof(labels));
        if (labels.dim() != 1)
            throw new ArgumentException($"{name}: labels have shape [{string.Join(", ", labels.shape)}]; one label per example, [N], is needed", nameof(labels));
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"{name}: {images.shape[0]} examples but {labels.shape[0]} labels",
                nameof(labels));
        if (labels.shape[0] == 0) return;
        using var scope = NewDisposeScope();
        var (low, high) = (labels.min().item<long>(), labels.max().item<long>());
        if (low < 0 || high >= classes)
            throw new ArgumentException($"{name}: labels run from {low} to {high}; with {classes} classes each must be in [0, {classes - 1}]", nameof(labels));
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

    /// <summary>The examples and labels of the rows <paramref name="index"/> names (an int64 tensor on any device), on
    /// <paramref name="device"/>: how a batch reaches the network's device, wherever the data set lives.</summary>
    public (Tensor Images, Tensor Labels) Rows(Tensor index, Device device)
    {
        using var rows = index.to(Images.device);
        return (Images.index_select(0, rows).to(device), Labels.index_select(0, rows).to(device));
    }

    /// <summary>The examples and labels of rows [start, start + count), on <paramref name="device"/>.</summary>
    public (Tensor Images, Tensor Labels) Range(int start, int count, Device device) =>
        (Images.narrow(0, start, count).to(device), Labels.narrow(0, start, count).to(device));

    /// <summary>A new data set over rows [start, start + count), copied.</summary>
    public ImageDataset Slice(string name, int start, int count) =>
        new(name, Images.narrow(0, start, count).clone(), Labels.narrow(0, start, count).clone(), Classes);

    /// <summary>A new data set holding the rows of <paramref name="first"/> then those of <paramref name="second"/>,
    /// copied.</summary> <exception cref="ArgumentException">The two differ in sample shape or classes.</exception>
    public static ImageDataset Concat(string name, ImageDataset first, ImageDataset second)
    {
        if (!first.SampleShape.SequenceEqual(second.SampleShape) || first.Classes != second.Classes)
            throw new ArgumentException($"{name}: cannot join {first.Name} ([{string.Join(", ", first.SampleShape)}], {first.Classes} classes) " +
                                        $"with {second.Name} ([{string.Join(", ", second.SampleShape)}], {second.Classes} classes)");
        return new(name, cat(new[] { first.Images, second.Images }, 0), cat(new[] { first.Labels, second.Labels }, 0),
            first.Classes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
