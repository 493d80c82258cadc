using Nest.Runtime.Data;
using static TorchSharp.torch;

namespace Nest.Runtime.Training;

/// <summary>Classification error of a model on a data set.</summary>
public static class Evaluation
{
    /// <summary>The fraction of samples whose arg-max prediction is not the label, in evaluation mode.</summary>
    public static double ErrorRate(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 1000)
    {
        if (data.Count == 0) return double.NaN;
        var wasTraining = model.training;
        model.eval();
        long wrong = 0;
        var device = ComputeDevices.Of(model);
        using (no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(batchSize, data.Count - start);
                var (images, labels) = data.Range(start, count, device);
                wrong += model.forward(images).argmax(1).ne(labels).sum().item<long>();
            }
        }
        if (wasTraining) model.train();
        return (double)wrong / data.Count;
    }
}
