using static TorchSharp.torch;

namespace Nest.Runtime.Data;

/// <summary>
/// A classification data set split three ways: training examples minus a held-out validation tail, validation, and
/// test. Read from a folder in one of the layouts <see cref="DataLayout"/> knows: IDX files (MNIST's names, any image
/// size), a CSV file per split, or a folder of images per class. Every later decision (growth targets, pruning stops)
/// uses validation; the test set is only for reporting.
/// </summary>
public sealed class IdxDataset : IDisposable
{
    /// <summary>File names in the folder (those of MNIST and of the IDX sets that copy its layout).</summary>
    public const string TrainImages = "train-images-idx3-ubyte", TrainLabels = "train-labels-idx1-ubyte",
        TestImages = "t10k-images-idx3-ubyte", TestLabels = "t10k-labels-idx1-ubyte";

    IdxDataset(string folder, ImageDataset train, ImageDataset validation, ImageDataset test, float mean, float std,
        InputScaling scaling,
        (string Train, string Test) labelFiles)
    {
        _labelFiles = labelFiles;
        Folder = folder;
        Scaling = scaling;
        Train = train;
        Validation = validation;
        Test = test;
        Mean = mean;
        Std = std;
    }

    readonly (string Train, string Test) _labelFiles;

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
    /// <summary>Pixel mean subtracted before scaling (the training part's, on a 0..1 scale; 0 under <see
    /// cref="InputScaling.ZeroBackground"/>).</summary>
    public float Mean { get; }
    /// <summary>Pixel standard deviation used for normalisation.</summary>
    public float Std { get; }

    /// <summary> Loads the four files from <paramref name="folder"/>; the last <paramref name="validationCount"/>
    /// training images become the validation set (a fixed split, the same for every seed value). <paramref
    /// name="scaling"/> chooses whether the mean is subtracted; both divide by the standard deviation. When <paramref
    /// name="statistics"/> are given (a saved model's pixel mean on a 0..1 scale and deviation), they scale the images
    /// instead of the training part's own. </summary> <exception cref="DatasetException">A file is missing or
    /// malformed, counts or sizes disagree, or a label is out of range.</exception>
    public static IdxDataset Load(string folder, int validationCount = 5000, string name = "mnist",
        InputScaling scaling = InputScaling.Standardize,
        (float Mean, float Std)? statistics = null) =>
        Load(folder, _ => validationCount, name, scaling, statistics);

    /// <summary>As <see cref="Load(string, int, string, InputScaling, ValueTuple{float, float}?)"/>, holding out
    /// <paramref name="validationFraction"/> of the training images (rounded, at least one), so that the split scales
    /// with the data set.</summary>
    public static IdxDataset Load(string folder, double validationFraction, string name = "mnist",
        InputScaling scaling = InputScaling.Standardize)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in (0, 1)");
        return Load(folder, n => Math.Max(1, (int)Math.Round(validationFraction * n)), name, scaling, null);
    }

    static IdxDataset Load(string folder, Func<int, int> validationCountFor, string name, InputScaling scaling,
        (float Mean, float Std)? statistics)
    {
        var (train, test, classes, labelFiles) = DataLayout.Read(folder);
        if (!train.SampleShape.SequenceEqual(test.SampleShape))
            throw new DatasetException(test.Path,
                $"examples have shape [{string.Join(", ", test.SampleShape)}] but the training examples have [{string.Join(", ", train.SampleShape)}]");
        var validationCount = validationCountFor(train.Count);
        if (validationCount < 0 || validationCount >= train.Count)
            throw new DatasetException(train.Path,
                $"cannot hold out {validationCount} validation examples from {train.Count} training examples");
        var trainCount = train.Count - validationCount;

        // Normalise with the statistics of the training part only, so nothing leaks from validation or test.
        double sum = 0, sumSquares = 0;
        var trainValues = (long)trainCount * train.SampleSize;
        for (long i = 0; i < trainValues; i++)
        {
            var v = train.Value(i);
            sum += v;
            sumSquares += v * v;
        }
        var pixelMean = sum / trainValues;
        var std = (float)Math.Sqrt(Math.Max(1e-12, sumSquares / trainValues - pixelMean * pixelMean));
        var mean = scaling == InputScaling.ZeroBackground ? 0f : (float)pixelMean;
        if (statistics is { } given) (mean, std) = given;

        using var scope = NewDisposeScope();
        var all = train.Examples(mean, std);
        var allLabels = train.LabelTensor();
        var trainSet =
            new ImageDataset($"{name}/train", all.narrow(0, 0, trainCount).clone(),
                allLabels.narrow(0, 0, trainCount).clone(), classes);
        var validation = new ImageDataset($"{name}/validation", all.narrow(0, trainCount, validationCount).clone(),
            allLabels.narrow(0, trainCount, validationCount).clone(), classes);
        var testSet = new ImageDataset($"{name}/test", test.Examples(mean, std), test.LabelTensor(), classes);
        return new IdxDataset(folder, trainSet, validation, testSet, mean, std, scaling, labelFiles);
    }

    /// <summary>Checks that every label is below <paramref name="classes"/> (a seed's class count).</summary>
    /// <exception cref="DatasetException">A label is out of range; names the data set and the first bad
    /// index.</exception>
    public void CheckLabels(int classes)
    {
        // Named by file and index in it: validation is the training file's tail.
        foreach (var (set, file, offset) in new[] { (Train, _labelFiles.Train, 0),
            (Validation, _labelFiles.Train, Train.Count), (Test, _labelFiles.Test, 0) })
        {
            using var bad = set.Labels.AtLeast(classes).nonzero();
            if (bad.shape[0] > 0)
            {
                var index = bad[0, 0].item<long>();
                throw new DatasetException(file,
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
