namespace Nest.Runtime.Data;

/// <summary>
/// The folder layouts a data set can come in, told apart by what the folder holds:
/// <list type="bullet">
/// <item>IDX: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
/// <c>t10k-labels-idx1-ubyte</c> (MNIST's names), the examples of rank 2 ([N, features]), 3 ([N, H, W], one channel)
/// or 4 ([N, C, H, W]);</item>
/// <item>CSV: <c>train.csv</c> and <c>test.csv</c>, a header row, a <c>label</c> column of class indices and numeric
/// features in every other column (<see cref="CsvSplits"/>);</item>
/// <item>images: <c>train/</c> and <c>test/</c>, each with one subfolder per class holding PNG or JPEG files of one
/// size,
/// as torchvision's ImageFolder (<see cref="ImageFolderSplits"/>).</item>
/// </list>
/// </summary>
public static class DataLayout
{
    /// <summary>Reads the train and test splits, the class count and the files that name labels in messages.</summary>
    /// <exception cref="DatasetException">The folder is missing, holds none of the layouts, or a file is
    /// malformed.</exception>
    internal static (RawSplit Train, RawSplit Test, int Classes,
        (string Train, string Test) LabelFiles) Read(string folder)
    {
        if (File.Exists(folder))
            throw new DatasetException(folder,
                "is a file; the data is a folder (IDX files, train.csv and test.csv, or train/ and test/ image folders)");
        if (!Directory.Exists(folder))
            throw new DatasetException(folder, "data folder not found");
        if (File.Exists(Path.Combine(folder, IdxDataset.TrainImages))
            || File.Exists(Path.Combine(folder, IdxDataset.TrainLabels)))
            return ReadIdx(folder);
        if (File.Exists(Path.Combine(folder, CsvSplits.TrainFile))
            || File.Exists(Path.Combine(folder, CsvSplits.TestFile)))
            return CsvSplits.Read(folder);
        if (Directory.Exists(Path.Combine(folder, ImageFolderSplits.TrainFolder)))
            return ImageFolderSplits.Read(folder);
        // None found: the IDX reader names the first missing file, as it always did.
        return ReadIdx(folder);
    }

    static (RawSplit, RawSplit, int, (string, string)) ReadIdx(string folder)
    {
        // Examples of any shape: [N, features], [N, H, W] (one channel) or [N, C, H, W].
        var trainImages = IdxReader.Read(Path.Combine(folder, IdxDataset.TrainImages), 2, 4);
        var trainLabels = IdxReader.Read(Path.Combine(folder, IdxDataset.TrainLabels), 1);
        var testImages = IdxReader.Read(Path.Combine(folder, IdxDataset.TestImages), 2, 4);
        var testLabels = IdxReader.Read(Path.Combine(folder, IdxDataset.TestLabels), 1);
        var train = Split(trainImages, trainLabels);
        var test = Split(testImages, testLabels);
        var classes = Math.Max(train.Labels.DefaultIfEmpty().Max(), test.Labels.DefaultIfEmpty().Max()) + 1;
        return (train, test, classes, (trainLabels.Path, testLabels.Path));
    }

    static RawSplit Split(IdxArray images, IdxArray labels)
    {
        if (images.Count != labels.Count)
            throw new DatasetException(labels.Path,
                $"{labels.Count:N0} labels but {Path.GetFileName(images.Path)} has {images.Count:N0} images");
        long[] shape = images.Dimensions.Length == 3
            ? [1, images.Dimensions[1], images.Dimensions[2]]
            : images.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        return RawSplit.FromBytes(images.Path, shape, images.Values, labels.Values.Select(b => (int)b).ToArray());
    }
}
