using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>
/// The standard split of an IDX image-classification set (MNIST's file names): training images minus
/// a held-out validation tail, validation, and test. Every later decision (growth targets, pruning
/// stops) uses validation; the test set is only for reporting.
/// </summary>
public sealed class IdxDataset : IDisposable
{
    /// <summary>File names in the folder (those of MNIST and of the IDX sets that copy its layout).</summary>
    public const string TrainImages = "train-images-idx3-ubyte", TrainLabels = "train-labels-idx1-ubyte",
        TestImages = "t10k-images-idx3-ubyte", TestLabels = "t10k-labels-idx1-ubyte";

    IdxDataset(string folder, ImageDataset train, ImageDataset validation, ImageDataset test, float mean, float std, InputScaling scaling)
    {
        Folder = folder;
        Scaling = scaling;
        Train = train;
        Validation = validation;
        Test = test;
        Mean = mean;
        Std = std;
    }

    /// <summary>The folder the files were read from.</summary>
    public string Folder { get; }
    /// <summary>Training data (the training file minus its last <c>validationCount</c> images).</summary>
    public ImageDataset Train { get; }
    /// <summary>Held-out validation data (the training file's last images).</summary>
    public ImageDataset Validation { get; }
    /// <summary>Test data.</summary>
    public ImageDataset Test { get; }
    /// <summary>How pixels were scaled into inputs.</summary>
    public InputScaling Scaling { get; }
    /// <summary>Pixel mean subtracted before scaling (the training part's, on a 0..1 scale; 0 under <see cref="InputScaling.ZeroBackground"/>).</summary>
    public float Mean { get; }
    /// <summary>Pixel standard deviation used for normalisation.</summary>
    public float Std { get; }

    /// <summary>
    /// Loads the four files from <paramref name="folder"/>; the last <paramref name="validationCount"/>
    /// training images become the validation set (a fixed split, the same for every seed value).
    /// <paramref name="scaling"/> chooses whether the mean is subtracted; both divide by the standard deviation.
    /// When <paramref name="statistics"/> are given (a saved model's pixel mean on a 0..1 scale and deviation), they scale
    /// the images instead of the training part's own.
    /// </summary>
    /// <exception cref="DatasetException">A file is missing or malformed, counts or sizes disagree, or a label is out of range.</exception>
    public static IdxDataset Load(string folder, int validationCount = 5000, string name = "mnist", InputScaling scaling = InputScaling.Standardize,
        (float Mean, float Std)? statistics = null) =>
        Load(folder, _ => validationCount, name, scaling, statistics);

    /// <summary>As <see cref="Load(string, int, string, InputScaling, ValueTuple{float, float}?)"/>, holding out <paramref name="validationFraction"/> of
    /// the training images (rounded, at least one), so that the split scales with the data set.</summary>
    public static IdxDataset Load(string folder, double validationFraction, string name = "mnist", InputScaling scaling = InputScaling.Standardize)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in (0, 1)");
        return Load(folder, n => Math.Max(1, (int)Math.Round(validationFraction * n)), name, scaling, null);
    }

    static IdxDataset Load(string folder, Func<int, int> validationCountFor, string name, InputScaling scaling, (float Mean, float Std)? statistics)
    {
        if (!Directory.Exists(folder))
            throw new DatasetException(folder, "data folder not found");
        var trainImages = IdxReader.Read(Path.Combine(folder, TrainImages), 3);
        var trainLabels = IdxReader.Read(Path.Combine(folder, TrainLabels), 1);
        var testImages = IdxReader.Read(Path.Combine(folder, TestImages), 3);
        var testLabels = IdxReader.Read(Path.Combine(folder, TestLabels), 1);
        CheckPair(trainImages, trainLabels);
        var validationCount = validationCountFor(trainImages.Count);
        CheckPair(testImages, testLabels);
        if (trainImages.Dimensions[1] != testImages.Dimensions[1] || trainImages.Dimensions[2] != testImages.Dimensions[2])
            throw new DatasetException(testImages.Path,
                $"images are {testImages.Dimensions[1]}x{testImages.Dimensions[2]} but the training images are {trainImages.Dimensions[1]}x{trainImages.Dimensions[2]}");
        if (validationCount < 0 || validationCount >= trainImages.Count)
            throw new DatasetException(trainImages.Path,
                $"cannot hold out {validationCount} validation images from {trainImages.Count} training images");

        var classes = Math.Max(MaxLabel(trainLabels), MaxLabel(testLabels)) + 1;
        var trainCount = trainImages.Count - validationCount;

        // Normalise with the statistics of the training part only, so nothing leaks from validation or test.
        double sum = 0, sumSquares = 0;
        var trainPixels = (long)trainCount * trainImages.Dimensions[1] * trainImages.Dimensions[2];
        for (long i = 0; i < trainPixels; i++)
        {
            var v = trainImages.Values[i] / 255.0;
            sum += v;
            sumSquares += v * v;
        }
        var pixelMean = sum / trainPixels;
        var std = (float)Math.Sqrt(Math.Max(1e-12, sumSquares / trainPixels - pixelMean * pixelMean));
        var mean = scaling == InputScaling.ZeroBackground ? 0f : (float)pixelMean;
        if (statistics is { } given) (mean, std) = given;

        using var scope = NewDisposeScope();
        var all = Images(trainImages, mean, std);
        var allLabels = Labels(trainLabels);
        var train = new ImageDataset($"{name}/train", all.narrow(0, 0, trainCount).clone(), allLabels.narrow(0, 0, trainCount).clone(), classes);
        var validation = new ImageDataset($"{name}/validation", all.narrow(0, trainCount, validationCount).clone(),
            allLabels.narrow(0, trainCount, validationCount).clone(), classes);
        var test = new ImageDataset($"{name}/test", Images(testImages, mean, std), Labels(testLabels), classes);
        return new IdxDataset(folder, train, validation, test, mean, std, scaling);
    }

    static void CheckPair(IdxArray images, IdxArray labels)
    {
        if (images.Count != labels.Count)
            throw new DatasetException(labels.Path, $"{labels.Count:N0} labels but {Path.GetFileName(images.Path)} has {images.Count:N0} images");
    }

    static int MaxLabel(IdxArray labels)
    {
        int max = 0;
        foreach (var b in labels.Values) max = Math.Max(max, b);
        return max;
    }

    static Tensor Images(IdxArray idx, float mean, float std)
    {
        var raw = tensor(idx.Values, new long[] { idx.Count, 1, idx.Dimensions[1], idx.Dimensions[2] });
        return raw.to_type(ScalarType.Float32).div_(255f).sub_(mean).div_(std);
    }

    static Tensor Labels(IdxArray idx) => tensor(idx.Values).to_type(ScalarType.Int64);

    /// <summary>Checks that every label is below <paramref name="classes"/> (a seed's class count).</summary>
    /// <exception cref="DatasetException">A label is out of range; names the data set and the first bad index.</exception>
    public void CheckLabels(int classes)
    {
        // Named by file and index in it: validation is the training file's tail.
        foreach (var (set, file, offset) in new[] { (Train, TrainLabels, 0), (Validation, TrainLabels, Train.Count), (Test, TestLabels, 0) })
        {
            using var bad = set.Labels.ge(classes).nonzero();
            if (bad.shape[0] > 0)
            {
                var index = bad[0, 0].item<long>();
                throw new DatasetException(Path.Combine(Folder, file),
                    $"label {set.Labels[index].item<long>()} at index {offset + index} is outside 0..{classes - 1} (the network has {classes} classes)");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
