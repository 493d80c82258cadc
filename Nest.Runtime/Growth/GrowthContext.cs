using Nest.Runtime.Data;
using Nest.Runtime.Kernels;
using Nest.Runtime.Synthesis;
using static TorchSharp.torch;

namespace Nest.Runtime.Growth;

/// <summary>What a growth policy works with: the network, training data, the mask kernels, the schedule
/// and a random stream of its own.</summary>
public sealed record GrowthContext(ISeedNetwork Network, ImageDataset Data, IMaskKernels Kernels, SynthesisSchedule Schedule, Generator Generator);
