using Nest.Runtime.Kernels;

namespace Nest.Runtime.Tests.Kernels;

/// <summary>Every ILGPU kernel (on ILGPU's CPU emulator) gives exactly what the CPU path gives.</summary>
public class MaskKernelEquivalenceTests(IlgpuEmulatorFixture fixture) : IClassFixture<IlgpuEmulatorFixture>
{
    readonly IMaskKernels _ilgpu = fixture.Ilgpu;
    readonly IMaskKernels _cpu = fixture.Cpu;

    [Fact]
    public void GrowthScoresAreEqual()
    {
        foreach (var length in KernelInputs.Lengths)
        {
            var gradient = KernelInputs.Gaussian(length, seed: length);
            var mask = KernelInputs.Mask(length, 0.3, seed: length + 1);
            var a = new float[length];
            var b = new float[length];
            _cpu.DormantGradientScores(gradient, mask, a);
            _ilgpu.DormantGradientScores(gradient, mask, b);
            Assert.Equal(a, b);
            for (int i = 0; i < length; i++)
                Assert.Equal(mask[i] == 0 ? Math.Abs(gradient[i]) : float.NegativeInfinity, a[i]);
        }
    }

    [Fact]
    public void PruningScoresAreEqual()
    {
        foreach (var length in KernelInputs.Lengths)
        {
            var weight = KernelInputs.Gaussian(length, seed: 3 * length);
            var mask = KernelInputs.Mask(length, 0.6, seed: 3 * length + 1);
            var a = new float[length];
            var b = new float[length];
            _cpu.LiveMagnitudeScores(weight, mask, a);
            _ilgpu.LiveMagnitudeScores(weight, mask, b);
            Assert.Equal(a, b);
            for (int i = 0; i < length; i++)
                Assert.Equal(mask[i] != 0 ? -Math.Abs(weight[i]) : float.NegativeInfinity, a[i]);
        }
    }

    [Theory]
    [InlineData("gaussian")]
    [InlineData("ties")]
    [InlineData("all-equal")]
    [InlineData("with-non-candidates")]
    public void ThresholdsAreEqualAndCorrect(string kind)
    {
        // Each threshold costs two 65,536-bin histograms, slow on the emulator: fewer, odd lengths.
        foreach (var length in new[] { 1, 37, 4099 })
        {
            var scores = kind switch
            {
                "ties" => KernelInputs.Ties(length, seed: length),
                "all-equal" => Enumerable.Repeat(0.25f, length).ToArray(),
                "with-non-candidates" => KernelInputs.Gaussian(length, seed: length)
                    .Select((v, i) => i % 3 == 0 ? float.NegativeInfinity : v).ToArray(),
                _ => KernelInputs.Gaussian(length, seed: length),
            };
            var candidates = scores.Count(s => s > float.NegativeInfinity);
            if (candidates == 0)
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => _cpu.KthLargest(scores, 1));
                Assert.Throws<ArgumentOutOfRangeException>(() => _ilgpu.KthLargest(scores, 1));
                continue;
            }
            foreach (var k in new long[] { 1, (candidates + 1) / 2, candidates }.Distinct())
            {
                var expected = KernelInputs.KthLargestBySorting(scores, k);
                Assert.Equal(expected, _cpu.KthLargest(scores, k));
                Assert.Equal(expected, _ilgpu.KthLargest(scores, k));
            }
        }
    }

    [Fact]
    public void NaNIsRejectedWithItsIndexByBoth()
    {
        var scores = KernelInputs.Gaussian(500, seed: 1);
        scores[123] = float.NaN;
        scores[400] = float.NaN;
        Assert.Equal("scores[123] is NaN; scores must be numbers (Parameter 'scores')",
            Assert.Throws<ArgumentException>(() => _cpu.KthLargest(scores, 10)).Message);
        Assert.Equal("scores[123] is NaN; scores must be numbers (Parameter 'scores')",
            Assert.Throws<ArgumentException>(() => _ilgpu.KthLargest(scores, 10)).Message);
    }

    [Fact]
    public void KBeyondTheCandidatesIsRejectedByBoth()
    {
        var scores = new[] { 1f, float.NegativeInfinity, 2f };
        Assert.Throws<ArgumentOutOfRangeException>(() => _cpu.KthLargest(scores, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ilgpu.KthLargest(scores, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => _cpu.KthLargest(Array.Empty<float>(), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ilgpu.KthLargest(Array.Empty<float>(), 1));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MaskUpdatesAreEqualAndTouchOnlyTheSelected(bool grow)
    {
        foreach (var length in KernelInputs.Lengths)
        {
            var weight = KernelInputs.Gaussian(length, seed: 7 * length + 2);
            var mask = KernelInputs.Mask(length, 0.5, seed: 7 * length + 3);
            var scores = new float[length];
            if (grow) _cpu.DormantGradientScores(KernelInputs.Ties(length, 7 * length + 4), mask, scores);
            else _cpu.LiveMagnitudeScores(KernelInputs.Ties(length, 7 * length + 4), mask, scores);
            var candidates = scores.Count(s => s > float.NegativeInfinity);
            var threshold = candidates == 0 ? 0f : _cpu.KthLargest(scores, (candidates + 2) / 3);

            var (maskA, weightA) = ((float[])mask.Clone(), (float[])weight.Clone());
            var (maskB, weightB) = ((float[])mask.Clone(), (float[])weight.Clone());
            var countA =
                grow ? _cpu.Grow(scores, threshold, maskA, weightA) : _cpu.Prune(scores, threshold, maskA, weightA);
            var countB =
                grow ? _ilgpu.Grow(scores, threshold, maskB, weightB) : _ilgpu.Prune(scores, threshold, maskB, weightB);

            Assert.Equal(maskA, maskB);
            Assert.Equal(weightA, weightB);
            Assert.Equal(countA, countB);
            for (int i = 0; i < length; i++)
            {
                var selected = scores[i] > float.NegativeInfinity && scores[i] >= threshold;
                Assert.Equal(selected ? (grow ? 1f : 0f) : mask[i], maskA[i]);
                Assert.Equal(selected ? 0f : weight[i], weightA[i]);
            }
            Assert.Equal(scores.Count(s => s > float.NegativeInfinity && s >= threshold), countA);
        }
    }

    [Fact]
    public void NeuronMagnitudesAreEqual()
    {
        foreach (var (batch, neurons) in new[] { (0, 5), (1, 1), (3, 37), (64, 300) })
        {
            var activations = KernelInputs.Gaussian(batch * neurons, seed: batch + neurons);
            var a = new float[neurons];
            var b = new float[neurons];
            _cpu.NeuronMagnitudes(activations, batch, neurons, a);
            _ilgpu.NeuronMagnitudes(activations, batch, neurons, b);
            Assert.Equal(a, b);
            if (batch > 0)
                Assert.Equal(Enumerable.Range(0, batch).Average(r => Math.Abs(activations[r * neurons])), a[0], 4);
        }
    }

    [Theory]
    [InlineData(2, 3, 8, 8, 4, 3, 1, 1)]
    [InlineData(3, 2, 7, 9, 5, 5, 2, 0)]
    [InlineData(1, 1, 5, 5, 1, 5, 1, 0)]
    public void PartialAreaScoresAreEqual(int batch, int inChannels, int height, int width, int outChannels, int kernel,
        int stride, int padding)
    {
        var g = new ConvGeometry(batch, inChannels, height, width, outChannels, kernel, stride, padding);
        var input = KernelInputs.Gaussian((int)g.InputLength, seed: 11);
        var weights = KernelInputs.Gaussian((int)g.KernelLength, seed: 12);
        var a = new float[g.ScoreLength];
        var b = new float[g.ScoreLength];
        _cpu.PartialAreaScores(input, weights, g, a);
        _ilgpu.PartialAreaScores(input, weights, g, b);
        Assert.Equal(a, b);
        Assert.All(a, s => Assert.True(s >= 0));
    }

    [Fact]
    public void NamesSayWhichImplementationRan()
    {
        Assert.StartsWith("CPU (Vector<float>", _cpu.Name);
        Assert.StartsWith("ILGPU CPU", _ilgpu.Name);
    }
}
