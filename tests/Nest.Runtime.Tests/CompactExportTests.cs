using Nest.Cli;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Nest.Runtime.Export;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Nest.Runtime.Tests;

/// <summary>The compact export (<see cref="CompactModel"/>): TorchSharp module, ONNX model, state_dict.</summary>
public sealed class CompactExportTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("nest-export-").FullName;

    // Two convolutions, the second with an area mask per pair (several input maps) or per map, some kernels dead.
    static TwoConvNet MaskedTwoConvNet(bool perPair)
    {
        var net = new TwoConvNet(randomSeed: 4);
        using var _ = no_grad();
        net.Conv2.weight_mask.fill_(1);
        net.Conv2.weight_mask[1, 0].fill_(0);
        net.Conv1.EnableAreaMask(10, 10, perPair: false);
        var area1 = net.Conv1.area_mask!.clone();
        area1[0, 0, 2..5, 3].fill_(0);
        net.Conv1.SetAreaMask(area1, perPair: false);
        net.Conv2.EnableAreaMask(4, 4, perPair);
        var area2 = net.Conv2.area_mask!.clone();
        area2[2, 0, 1, 1..3].fill_(0);
        area2[0, perPair ? 1 : 0, 3, 0].fill_(0);
        net.Conv2.SetAreaMask(area2, perPair);
        return net;
    }

    // A dense network whose hidden layer reads only some pixels (24 of 64, or 44 of 64 when most).
    static QuadrantNet SparseInputNet(bool most = false)
    {
        var net = new QuadrantNet(randomSeed: 5);
        using var _ = no_grad();
        net.Hidden.weight_mask[.., 10..(most ? 30 : 50)].fill_(0);
        return net;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheCompactModuleComputesWhatTheMaskedConvolutionsCompute(bool perPair)
    {
        using var net = MaskedTwoConvNet(perPair);
        using var images = rand(6, 1, 12, 12, generator: new Generator(1));

        using var compact = new CompactNetwork(CompactModel.From(net));

        Assert.True(compact.forward(images).allclose(TensorAssert.Outputs(net, images), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ADenseLayerReadsOnlyTheColumnsItsLiveConnectionsRead()
    {
        using var net = SparseInputNet();
        using var images = rand(6, 1, 8, 8, generator: new Generator(2));

        var model = CompactModel.From(net);
        using var compact = new CompactNetwork(model);

        var hidden = model.Layers.Single(l => l.Name == "hidden");
        Assert.Equal(64 - 40, hidden.InputIndex!.Length);
        Assert.Equal(new long[] { hidden.WeightShape![0], 24 }, hidden.WeightShape);
        Assert.True(compact.forward(images).allclose(TensorAssert.Outputs(net, images), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ADenseLayerReadingMoreThanHalfItsColumnsKeepsThemAll()
    {
        using var net = SparseInputNet(most: true);

        var hidden = CompactModel.From(net).Layers.Single(l => l.Name == "hidden");

        Assert.Null(hidden.InputIndex);   // a gather of 44 of 64 columns would cost more than the 20 columns it saves
        Assert.Equal(new long[] { hidden.WeightShape![0], 64 }, hidden.WeightShape);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheOnnxModelGivesTheNetworksOutputsInOnnxRuntime(bool perPair)
    {
        using var net = MaskedTwoConvNet(perPair);
        using var images = rand(5, 1, 12, 12, generator: new Generator(3));
        var path = Path.Combine(_folder, "model.onnx");

        OnnxExport.Write(CompactModel.From(net), path);

        Assert.Equal(Flat(TensorAssert.Outputs(net, images)), RunOnnx(path, images, [5, 1, 12, 12]), new Close(1e-5f));
    }

    [Fact]
    public void TheOnnxModelOfADenseNetworkGathersItsInputColumns()
    {
        using var net = SparseInputNet();
        using var images = rand(4, 1, 8, 8, generator: new Generator(4));
        var path = Path.Combine(_folder, "dense.onnx");

        OnnxExport.Write(CompactModel.From(net), path);

        Assert.Contains(Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node, n =>
            n.OpType == "Gather");
        var shape = new[] { 4 }.Concat(QuadrantNet.Topology.InputShape).ToArray();
        Assert.Equal(Flat(TensorAssert.Outputs(net, images)), RunOnnx(path, images, shape), new Close(1e-5f));
    }

    [Fact]
    public void SparseInferenceFromTheLiveConnectionsGivesTheNetworksOutputs()
    {
        using var net = SparseInputNet();
        using var images = rand(3, 1, 8, 8, generator: new Generator(8));

        var sparse = new SparseInference(CompactModel.From(net));

        Assert.Equal(net.Hidden.weight_mask.sum().item<float>() + net.Out.weight_mask.sum().item<float>(),
            sparse.MultiplyAccumulates);
        Assert.Equal(Flat(TensorAssert.Outputs(net, images)), sparse.Run(Flat(images), 3),
            new Close(1e-5f));   // a batch, transposed
        Assert.Equal(Flat(TensorAssert.Outputs(net, images[1..2])), sparse.Run(Flat(images[1..2]), 1),
            new Close(1e-5f));   // one, by rows
    }

    [Fact]
    public void SparseInferenceRefusesAConvolutionNamingIt()
    {
        using var net = new TwoConvNet(randomSeed: 1);

        var error = Assert.Throws<NotSupportedException>(() => new SparseInference(CompactModel.From(net)));

        Assert.Contains("conv1", error.Message);
    }

    [Fact]
    public void TheStateDictWrittenForPyTorchLoadsBackWithTheSameTensors()
    {
        using var net = MaskedTwoConvNet(perPair: true);
        var model = CompactModel.From(net);
        using var compact = new CompactNetwork(model);
        var path = Path.Combine(_folder, "compact.pth");

        compact.save_py(path);
        using var loaded = new CompactNetwork(model);
        using (no_grad())
            foreach (var tensor in loaded.state_dict().Values) tensor.zero_();
        loaded.load_py(path);

        var names = compact.state_dict().Keys.Order().ToList();
        Assert.Contains("conv2.area_mask", names);
        Assert.Equal(names, loaded.state_dict().Keys.Order());
        foreach (var (name, tensor) in compact.state_dict())
            Assert.True(tensor.allclose(loaded.state_dict()[name], rtol: 0, atol: 0), name);
    }

    static float[] Flat(Tensor t) => t.contiguous().data<float>().ToArray();

    static float[] RunOnnx(string path, Tensor images, int[] shape)
    {
        using var session = new InferenceSession(path);
        var input = new DenseTensor(Flat(images), shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return results.Single(r => r.Name == "logits").AsEnumerable<float>().ToArray();
    }

    sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
