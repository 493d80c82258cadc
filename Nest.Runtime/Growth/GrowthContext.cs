using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>What a growth policy works with: the network, training data, the mask kernels, the growth options, the
/// batch size of the gradients it reads, and a random stream of its own.</summary>
public sealed record GrowthContext(ISeedNetwork Network, ImageDataset Data, IMaskKernels Kernels, GrowthOptions Options,
    int BatchSize, Generator Generator);
