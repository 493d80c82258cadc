using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Nest.Runtime.Data;

/// <summary>
/// A data set as folders of images, as torchvision's ImageFolder: <c>train/</c> and <c>test/</c>, each with one
/// subfolder per class (the classes are the training subfolders' names in ordinal order, numbered from 0) holding PNG
/// or JPEG files, all of one size. Grey images (every pixel with red = green = blue) become one channel, others three.
/// Decoded with SixLabors.ImageSharp; a file that cannot be read is named.
/// </summary>
public static class ImageFolderSplits
{
    /// <summary>The training split's folder.</summary>
    public const string TrainFolder = "train";
    /// <summary>The test split's folder.</summary>
    public const string TestFolder = "test";

    static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    internal static (RawSplit, RawSplit, int, (string, string)) Read(string folder)
    {
        var trainFolder = Path.Combine(folder, TrainFolder);
        var testFolder = Path.Combine(folder, TestFolder);
        if (!Directory.Exists(testFolder))
            throw new DatasetException(testFolder,
                "folder not found (an image data set has train/ and test/, one subfolder per class in each)");
        var classes =
            Directory.GetDirectories(trainFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
            throw new DatasetException(trainFolder,
                $"has {classes.Length} class folder(s); one subfolder per class, at least 2, is wanted");
        var unknown =
            Directory.GetDirectories(testFolder).Select(Path.GetFileName).Where(c => !classes.Contains(c)).ToList();
        if (unknown.Count > 0)
            throw new DatasetException(Path.Combine(testFolder, unknown[0]!),
                "is a class the training folder does not have");

        var train = Load(trainFolder, classes!);
        var test = Load(testFolder, classes!);
        if (train.Width != test.Width || train.Height != test.Height)
            throw new DatasetException(test.FirstFile,
                $"is {test.Width}x{test.Height} but the training images are {train.Width}x{train.Height}");
        // One channel when every image of both splits is grey.
        var channels = train.Grey && test.Grey ? 1 : 3;
        return (train.Split(trainFolder, channels), test.Split(testFolder, channels), classes.Length,
            (trainFolder, testFolder));
    }

    static Loaded Load(string folder, string[] classes)
    {
        var files = classes
            .SelectMany((c, label) => Directory.Exists(Path.Combine(folder, c))
                ? Directory.GetFiles(Path.Combine(folder, c)).Where(f =>
                    Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal).Select(f => (File: f, Label: label))
                : [])
            .ToList();
        if (files.Count == 0)
            throw new DatasetException(folder, "holds no PNG or JPEG images in its class folders");
        var loaded = new Loaded { FirstFile = files[0].File };
        var rgb = new List<byte>();
        foreach (var (file, label) in files)
        {
            Image<Rgb24> image;
            try
            {
                image = Image.Load<Rgb24>(file);
            }
            catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException or IOException)
            {
                throw new DatasetException(file, $"cannot be read as an image ({e.Message.Split('\n')[0]})", e);
            }
            using (image)
            {
                if (loaded.Labels.Count == 0) (loaded.Width, loaded.Height) = (image.Width, image.Height);
                else if (image.Width != loaded.Width || image.Height != loaded.Height)
                    throw new DatasetException(file,
                        $"is {image.Width}x{image.Height} but {Path.GetFileName(loaded.FirstFile)} is {loaded.Width}x{loaded.Height}; all images must be one size");
                var pixels = new Rgb24[image.Width * image.Height];
                image.CopyPixelDataTo(pixels);
                foreach (var p in pixels)
                {
                    rgb.Add(p.R); rgb.Add(p.G); rgb.Add(p.B);
                    loaded.Grey &= p.R == p.G && p.G == p.B;
                }
            }
            loaded.Labels.Add(label);
        }
        loaded.Rgb = rgb.ToArray();
        return loaded;
    }

    sealed class Loaded
    {
        public string FirstFile = "";
        public int Width, Height;
        public bool Grey = true;
        public byte[] Rgb = [];
        public List<int> Labels { get; } = [];

        // Channels first, as convolutions read them: [N, C, H, W].
        public RawSplit Split(string folder, int channels)
        {
            var plane = Width * Height;
            var values = new byte[(long)Labels.Count * channels * plane];
            for (int n = 0; n < Labels.Count; n++)
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < plane; i++)
                        values[((long)n * channels + c) * plane + i] = Rgb[((long)n * plane + i) * 3 + c];
            return RawSplit.FromBytes(folder, [channels, Height, Width], values, Labels.ToArray());
        }
    }
}
