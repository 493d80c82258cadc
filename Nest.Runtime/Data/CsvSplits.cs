using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Nest.Runtime.Data;

/// <summary>
/// A data set as two CSV files, <c>train.csv</c> and <c>test.csv</c>: a header row, a column named <c>label</c> (any
/// case) holding class indices 0, 1, ..., and a number in every other column (the features, in the same columns in
/// both files). Read with CsvHelper; a problem is reported with the file, the line and the column.
/// </summary>
public static class CsvSplits
{
    /// <summary>The training split's file name.</summary>
    public const string TrainFile = "train.csv";
    /// <summary>The test split's file name.</summary>
    public const string TestFile = "test.csv";

    internal static (RawSplit, RawSplit, int, (string, string)) Read(string folder)
    {
        var (train, trainColumns) = ReadFile(Path.Combine(folder, TrainFile));
        var (test, testColumns) = ReadFile(Path.Combine(folder, TestFile));
        if (!trainColumns.SequenceEqual(testColumns, StringComparer.Ordinal))
            throw new DatasetException(test.Path,
                $"its feature columns ({Names(testColumns)}) differ from {TrainFile}'s ({Names(trainColumns)})");
        var classes = Math.Max(train.Labels.DefaultIfEmpty().Max(), test.Labels.DefaultIfEmpty().Max()) + 1;
        return (train, test, classes, (train.Path, test.Path));
    }

    static string Names(IReadOnlyList<string> columns) =>
        columns.Count <= 6 ? string.Join(", ", columns)
            : string.Join(", ", columns.Take(6)) + $", ... {columns.Count} in all";

    static (RawSplit Split, string[] Columns) ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new DatasetException(path,
                Directory.Exists(path) ? "is a folder; a CSV file is wanted"
                : "file not found (a CSV data set has train.csv and test.csv)");
        var config =
            new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true, TrimOptions =
                TrimOptions.Trim };
        try
        {
            using var reader = new StreamReader(path);
            using var csv = new CsvReader(reader, config);
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
                throw new DatasetException(path,
                    "is empty; a header row is wanted (a 'label' column and feature columns)");
            var labelColumn =
                Array.FindIndex(header, h => string.Equals(h, "label", StringComparison.OrdinalIgnoreCase));
            if (labelColumn < 0)
                throw new DatasetException(path, $"has no 'label' column (columns: {Names(header)})");
            var features = header.Where((_, i) => i != labelColumn).ToArray();
            if (features.Length == 0) throw new DatasetException(path, "has a label column but no feature columns");

            var values = new List<float>();
            var labels = new List<int>();
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                for (int i = 0; i < header.Length; i++)
                {
                    var text = csv.GetField(i) ?? "";
                    if (i == labelColumn)
                    {
                        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label)
                            || label < 0)
                            throw new DatasetException(path,
                                $"line {line}, column 'label': '{text}' is not a class index (0, 1, ...)");
                        labels.Add(label);
                    }
                    else
                    {
                        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                            || !float.IsFinite(value))
                            throw new DatasetException(path,
                                $"line {line}, column '{header[i]}': '{text}' is not a finite number");
                        values.Add(value);
                    }
                }
            }
            if (labels.Count == 0) throw new DatasetException(path, "has a header but no rows");
            return (RawSplit.FromFloats(path, [features.Length], values.ToArray(), labels.ToArray()), features);
        }
        catch (BadDataException e)
        {
            throw new DatasetException(path,
                $"line {e.Context?.Parser?.RawRow}: malformed CSV ({e.Message.Split('\n')[0]})", e);
        }
        catch (CsvHelperException e)
        {
            throw new DatasetException(path, $"line {e.Context?.Parser?.RawRow}: {e.Message.Split('\n')[0]}", e);
        }
    }
}
