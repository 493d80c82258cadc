using Microsoft.ML.OnnxRuntime;
using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Export;

/// <summary>How an export's predictions compare with the synthesized network's on a data set.</summary>
/// <param name="Images">Examples compared.</param>
/// <param name="NetworkError">The synthesized network's error rate on them.</param>
/// <param name="CompactError">The compact TorchSharp module's error rate.</param>
/// <param name="OnnxError">The ONNX model's error rate (ONNX Runtime).</param>
/// <param name="CompactDisagreements">Examples where the compact module's class differs from the network's.</param>
/// <param name="OnnxDisagreements">Examples where the ONNX model's class differs from the network's.</param>
/// <param name="MaxLogitDifference">The largest absolute difference of a logit from the network's.</param>
public sealed record Agreement(int Images, double NetworkError, double CompactError, double OnnxError,
    int CompactDisagreements, int OnnxDisagreements, double MaxLogitDifference)
{
    /// <summary>Logits that are NaN or infinite, from any of the three: an export that computes them is broken even
    /// where argmax happens to agree.</summary>
    public int NonFiniteLogits { get; init; }
}

/// <summary>Runs the synthesized network, the compact TorchSharp module and the ONNX model (in ONNX Runtime) on every
/// image.</summary>
public static class Verification
{
    /// <summary>Runs all three on every example of <paramref name="data"/>, <paramref name="batchSize"/> at a
    /// time.</summary> <param name="network">The synthesized network.</param> <param name="compact">Its compact export
    /// as a TorchSharp module.</param> <param name="onnxPath">Its ONNX export (input named <c>input</c>).</param>
    /// <param name="data">Examples scaled as the network was trained (the model's saved statistics).</param> <param
    /// name="batchSize">Examples per forward pass.</param>
    public static Agreement Compare(nn.Module<Tensor, Tensor> network, nn.Module<Tensor, Tensor> compact,
        string onnxPath, ImageDataset data, int batchSize = 1000)
    {
        using var session = new InferenceSession(onnxPath);
        var inputShape = session.InputMetadata["input"].Dimensions;
        int wrongNetwork = 0, wrongCompact = 0, wrongOnnx = 0, compactDiffers = 0, onnxDiffers = 0;
        double maxDifference = 0;
        long nonFinite = 0;
        network.eval();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var count = Math.Min(batchSize, data.Count - start);
            var images = data.Images.narrow(0, start, count).contiguous();
            var labels = data.Labels.narrow(0, start, count);
            var reference = network.forward(images);
            var fromCompact = compact.forward(images);
            var shape = inputShape.Select((d, i) => i == 0 ? count : d).ToArray();
            var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(images.data<float>().ToArray(), shape);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
            var fromOnnx = tensor(results.Single().AsEnumerable<float>().ToArray(), reference.shape);
            nonFinite += new[] { reference, fromCompact, fromOnnx }.Sum(t =>
                t.isfinite().logical_not().sum().item<long>());
            var (expected, compactPredicted, onnxPredicted) =
                (reference.argmax(1), fromCompact.argmax(1), fromOnnx.argmax(1));
            wrongNetwork += (int)expected.ne(labels).sum().item<long>();
            wrongCompact += (int)compactPredicted.ne(labels).sum().item<long>();
            wrongOnnx += (int)onnxPredicted.ne(labels).sum().item<long>();
            compactDiffers += (int)compactPredicted.ne(expected).sum().item<long>();
            onnxDiffers += (int)onnxPredicted.ne(expected).sum().item<long>();
            maxDifference =
                Math.Max(maxDifference,
                    Math.Max((fromOnnx - reference).abs().max().item<float>(),
                    (fromCompact - reference).abs().max().item<float>()));
        }
        double n = data.Count;
        return new Agreement(data.Count, wrongNetwork / n, wrongCompact / n, wrongOnnx / n, compactDiffers, onnxDiffers,
            maxDifference)
        {
            NonFiniteLogits = (int)Math.Min(int.MaxValue, nonFinite),
        };
    }
}
