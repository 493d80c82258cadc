using Nest.Runtime.Data;
using Nest.Runtime.Export;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

public sealed class VerificationTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-verification-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void NonFiniteLogitsAreCountedEvenWherePredictionsAgree()
    {
        using var net = new TinyNet(randomSeed: 1);
        using (no_grad()) net.Out.bias!.fill_(float.NaN);
        var model = CompactModel.From(net);
        var onnx = Path.Combine(_folder, "compact.onnx");
        OnnxExport.Write(model, onnx);
        using var compact = new CompactNetwork(model);
        using var data =
            new ImageDataset("tiny/test", randn(8, 4, generator: new Generator(3)), zeros(8, ScalarType.Int64), 2);

        var agreement = Verification.Compare(net, compact, onnx, data);

        Assert.Equal(8 * 2 * 3, agreement.NonFiniteLogits);   // every logit of the three models
    }
}
