using Nest.Cli;
using Nest.Cli.Commands;
using Nest.Runtime.Data;

namespace Nest.Runtime.Tests;

/// <summary>A data set as train.csv and test.csv: read with its features and labels, or refused naming the file, the
/// line and the column, with nothing written.</summary>
public sealed class CsvDataTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    const string Train = "a,label,b\n1,0,2\n3,1,4\n5,2,6\n7,0,8\n";
    const string Test = "a,label,b\n1,1,1\n2,2,2\n";

    void Write(string train = Train, string test = Test)
    {
        File.WriteAllText(Path.Combine(_folder, "train.csv"), train);
        File.WriteAllText(Path.Combine(_folder, "test.csv"), test);
    }

    string Refused()
    {
        var error = Assert.Throws<DatasetException>(() => IdxDataset.Load(_folder, validationCount: 1));
        return error.Message;
    }

    [Fact]
    public void FeaturesAndLabelsAreReadAndScaledByTheTrainingPart()
    {
        Write();
        using var data = IdxDataset.Load(_folder, validationCount: 1);

        Assert.Equal(new long[] { 2 }, data.Train.SampleShape);
        Assert.Equal(3, data.Train.Count);
        Assert.Equal(3, data.Train.Classes);
        Assert.Equal(new long[] { 0, 1, 2 }, data.Train.Labels.data<long>().ToArray());
        // The training part is 1..6: mean 3.5, population deviation sqrt(35/12); the first value is 1.
        Assert.Equal((1 - 3.5) / Math.Sqrt(35.0 / 12), data.Train.Images[0, 0].item<float>(), 5);
        Assert.Equal(new long[] { 0 }, data.Validation.Labels.data<long>().ToArray());
    }

    [Fact]
    public void ATextWhereANumberBelongsIsNamedByFileLineAndColumn()
    {
        Write(train: "a,label,b\n1,0,2\n3,1,four\n");
        Assert.EndsWith("train.csv: line 3, column 'b': 'four' is not a finite number", Refused());
    }

    [Fact]
    public void AFileWithoutALabelColumnIsRefused()
    {
        Write(train: "a,class,b\n1,0,2\n");
        Assert.EndsWith("train.csv: has no 'label' column (columns: a, class, b)", Refused());
    }

    [Fact]
    public void ARowWithAColumnMissingIsRefusedAsMalformed()
    {
        Write(train: "a,label,b\n1,0,2\n3,1\n");
        Assert.Contains("train.csv: line 3: malformed CSV", Refused());
    }

    [Fact]
    public void ALabelThatIsNotAClassIndexIsRefused()
    {
        Write(test: "a,label,b\n1,1.5,1\n");
        Assert.EndsWith("test.csv: line 2, column 'label': '1.5' is not a class index (0, 1, ...)", Refused());
    }

    [Fact]
    public void TestColumnsThatDifferFromTrainingAreRefused()
    {
        Write(test: "a,label,c\n1,1,1\n");
        Assert.EndsWith("test.csv: its feature columns (a, c) differ from train.csv's (a, b)", Refused());
    }

    [Fact]
    public void AMissingTestFileIsNamed()
    {
        File.WriteAllText(Path.Combine(_folder, "train.csv"), Train);
        Assert.Contains("test.csv: file not found", Refused());
    }

    [Fact]
    public async Task SynthesizeOnABadFileWritesNothing()
    {
        Write(train: "a,label,b\n1,0,2\n3,1,x\n");
        var output = Path.Combine(_folder, "run");
        string[] args = ["--seed", "tabular64", "--data", _folder, "--out", output];

        await Assert.ThrowsAsync<DatasetException>(() =>
            SynthesizeCommand.RunAsync(new Arguments(args, SynthesizeCommand.Flags), args, TextWriter.Null, default));

        Assert.False(Directory.Exists(output));
    }
}
