using Nest.Runtime;
using Nest.Runtime.Data;
using Nest.Runtime.Export;
using TorchSharp.PyBridge;

namespace Nest.Cli.Commands;

/// <summary> <c>nest export --run DIR</c>: the synthesized network (DIR/model.nestmodel) as a compact model in three
/// forms: ONNX (<c>compact.onnx</c>), TorchSharp weights (<c>compact.dat</c>) and a PyTorch state_dict
/// (<c>compact.pth</c>), with <c>compact.json</c> listing its layers and <c>compact.py</c>, the PyTorch module that
/// runs them; then checked on the MNIST test set: ONNX Runtime and the TorchSharp compact module must predict what the
/// synthesized network predicts, image for image (exit code 1 otherwise). </summary>
public static class ExportCommand
{
    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "no-verify", "json" };

    public static async Task<int> RunAsync(Arguments args, TextWriter output, CancellationToken cancellationToken)
    {
        var run = args.String("run");
        var modelPath =
            args.String("model")
                ?? (run is null
                ? throw new UsageException("--run DIR (a synthesis's output folder) or --model FILE is required")
                : Path.Combine(run, "model.nestmodel"));
        var outFolder =
            args.String("out") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "export");
        var dataFolder = args.String("data");
        var verify = !args.Flag("no-verify");
        var json = args.Flag("json");
        args.RejectUnknown();
        var log = json ? TextWriter.Null : output;

        if (outFolder.Trim().Length == 0) throw new UsageException("--out must name a folder (got an empty path)");
        var (header, network, module) = ModelFile.Load(modelPath);
        using var _ = module;
        // The test data, when verifying, is read and checked against the seed before any file is written.
        IdxDataset? data = null;
        if (verify)
        {
            // Only the test set is used, scaled with the statistics the model was trained with (saved in its header).
            var (loaded, _) =
                await CommandData.LoadAsync(dataFolder, 0, network.Topology.Classes, log, cancellationToken,
                    CommandData.ParseScaling(header.Input),
                statistics: (header.InputMean, header.InputStd));
            data = loaded;
            try
            {
                CommandData.CheckShape(network.Topology, header.Seed, loaded);
            }
            catch
            {
                loaded.Dispose();
                throw;
            }
        }
        using var __ = data;
        var model = CompactModel.From(network);
        Directory.CreateDirectory(outFolder);
        var files = new Dictionary<string, string>
        {
            ["onnx"] = Path.Combine(outFolder, "compact.onnx"),
            ["torchsharp"] = Path.Combine(outFolder, "compact.dat"),
            ["pytorch"] = Path.Combine(outFolder, "compact.pth"),
            ["layers"] = Path.Combine(outFolder, "compact.json"),
            ["pytorch-module"] = Path.Combine(outFolder, "compact.py"),
        };
        var metadata = new Dictionary<string, string>
        {
            ["seed"] = header.Seed, ["input"] =
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"(pixel / 255 - {header.InputMean:R}) / {header.InputStd:R}"),
            ["test_error"] = header.TestError?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        OnnxExport.Write(model, files["onnx"], metadata);
        using var compact = new CompactNetwork(model);
        AtomicFile.Write(files["torchsharp"], path => compact.save(path));
        AtomicFile.Write(files["pytorch"], path => compact.save_py(path));
        var layers = model.Layers.Select(l => new
        {
            name = l.Name, kind = l.Kind.ToString(), activation = l.Activation.ToString(), weightShape = l.WeightShape,
                inputIndex = l.InputIndex?.Length,
            areaShape = l.AreaShape, kernel = l.Kernel, stride = l.Stride, padding = l.Padding,
        });
        await CommandData.WriteTextAsync(outFolder, "compact.json",
            System.Text.Json.JsonSerializer.Serialize(
            new { seed = header.Seed, inputShape = model.InputShape, header.InputMean, header.InputStd, layers },
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        using (var pythonModule = typeof(ExportCommand).Assembly.GetManifestResourceStream("compact.py")!)
        using (var reader = new StreamReader(pythonModule))
            await CommandData.WriteTextAsync(outFolder, "compact.py", await reader.ReadToEndAsync(cancellationToken),
                cancellationToken);
        foreach (var (kind, path) in files) log.WriteLine($"{kind,-14} {path} ({new FileInfo(path).Length:N0} bytes)");
        log.WriteLine($"compact: {string.Join(" -> ", model.Layers.Where(l => l.WeightShape is not null).Select(l => $"{l.Name} [{string.Join("x", l.WeightShape!)}]"))}; " +
                      $"{model.DenseMultiplyAccumulates:N0} multiply-accumulates per image as exported ({header.Flops / 2:N0} live)");

        object? check = null;
        if (data is not null)
        {
            var agreement = Verification.Compare(module, compact, files["onnx"], data.Test);
            log.WriteLine($"verified on {data.Test.Count:N0} test images: test error {agreement.NetworkError:P2} (synthesized), {agreement.CompactError:P2} (TorchSharp compact), " +
                          $"{agreement.OnnxError:P2} (ONNX Runtime); predictions differing from the synthesized " +
                          $"network: {agreement.CompactDisagreements} (TorchSharp), {agreement.OnnxDisagreements} (ONNX Runtime); " +
                          $"largest logit difference {agreement.MaxLogitDifference:G3}");
            check = agreement;
            var problem = agreement.NonFiniteLogits > 0 ? $"{agreement.NonFiniteLogits} logits are NaN or infinite"
                : agreement.OnnxDisagreements > 0 || agreement.CompactDisagreements > 0
                    ? "the exported model does not predict what the synthesized network predicts"
                : RecordedErrorDiffers(header.TestError, agreement.NetworkError, agreement.Images);
            if (problem is not null)
            {
                if (json)
                    output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { files, verification = check }));
                throw new CommandFailedException(problem);
            }
        }
        if (json)
            output.WriteLine(
            System.Text.Json.JsonSerializer.Serialize(
            new { files, multiplyAccumulates = model.DenseMultiplyAccumulates, verification = check },
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    // The network's test error here against the one recorded when it was saved: beyond three binomial standard errors
    // the data (or its scaling) is not what the model was measured on.
    static string? RecordedErrorDiffers(double? recorded, double measured, int images)
    {
        if (recorded is not { } r || images == 0) return null;
        var tolerance = 3 * Nest.Runtime.Synthesis.ValidationNoise.StandardError(r, images);
        return Math.Abs(measured - r) <= tolerance ? null
            : $"the network's test error here is {measured:P2}, but {r:P2} was recorded when it was saved (beyond {tolerance:P2}): other data, or other scaling";
    }
}
