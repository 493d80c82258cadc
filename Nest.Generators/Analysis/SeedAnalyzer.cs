using System;
using System.Collections.Generic;
using System.Linq;

namespace Nest.Generators;

/// <summary>
/// <see cref="SeedDeclaration"/> -> <see cref="SeedModel"/>: validates every value, infers shapes
/// through the layer list (seed widths and reference widths side by side) and counts parameters and
/// FLOPs. After the first shape error the shapes further down are unknown, so later layers get only
/// the checks that do not depend on them (no cascades of follow-on errors).
/// </summary>
internal static class SeedAnalyzer
{
    public static SeedModel Analyze(SeedDeclaration seed, List<DiagnosticInfo> diagnostics)
    {
        var errorsBefore = diagnostics.Count;
        var input = seed.Input;
        long[]? shape = null, reference = null;
        if (input.Length is 1 or 3 && input.All(d => d > 0))
        {
            shape = input.Select(d => (long)d).ToArray();
            reference = (long[])shape.Clone();
        }
        else
        {
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, seed.InputLocation, seed.ClassName,
                Format.Shape(input)));
        }
        if (seed.Classes <= 0)
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveClasses, seed.ClassesLocation, seed.ClassName,
                seed.Classes));
        if (!(seed.WidthScale > 0) || double.IsInfinity(seed.WidthScale))
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.NonPositiveWidthScale, seed.WidthScaleLocation,
                "Seed '" + seed.ClassName + "'", seed.WidthScale));

        var outputIndex = seed.Layers.FindLastIndex(l => l.HasWeights);
        var resolved = new List<ResolvedLayer>();
        var totals = new long[5];
        for (int i = 0; i < seed.Layers.Count; i++)
        {
            var layer = seed.Layers[i];
            var inputShape = shape;
            var r = new ResolvedLayer(layer, i, isOutput: i == outputIndex) { InputShape = shape, ReferenceInputShape =
                reference };
            try
            {
                // The project compiles with overflow checks on, so any count past 64 bits lands here.
                (shape, reference) = Infer(seed, layer, r, shape, reference, diagnostics);
            }
            catch (OverflowException)
            {
                diagnostics.Add(
                    DiagnosticInfo.Create(DiagnosticDescriptors.LayerTooLarge, layer.Location, layer.Name,
                    "a count exceeds 64 bits"));
                shape = reference = null;
            }
            try
            {
                totals[0] += r.ReferenceParameters;
                totals[1] += r.ReferenceFlops;
                totals[2] += r.SeedConnections;
                totals[3] += r.SeedParameters;
                totals[4] += r.SeedFlops;
            }
            catch (OverflowException)
            {
                diagnostics.Add(
                    DiagnosticInfo.Create(DiagnosticDescriptors.LayerTooLarge, layer.Location, layer.Name,
                    "the network's total exceeds 64 bits"));
                Array.Clear(totals, 0, totals.Length);
            }
            if (shape is not null && shape.Any(d => d > int.MaxValue))
            {
                diagnostics.Add(
                    DiagnosticInfo.Create(DiagnosticDescriptors.LayerTooLarge, layer.Location, layer.Name,
                    "a dimension exceeds 2^31 - 1"));
                shape = reference = null;
            }
            r.OutputShape = shape;
            resolved.Add(r);
        }

        if (shape is not null && seed.Classes > 0 && seed.Layers.Count > 0
            && !(shape.Length == 1 && shape[0] == seed.Classes))
        {
            var last = seed.Layers[seed.Layers.Count - 1];
            diagnostics.Add(
                DiagnosticInfo.Create(DiagnosticDescriptors.OutputWidthMismatch,
                last.LocationOf(last.Kind == LayerKind.Conv2d ? "Channels" : "Width"), seed.ClassName, last.Name,
                Format.Shape(shape.Select(d => (int)d)), seed.Classes));
        }

        var valid = diagnostics.Count == errorsBefore && !seed.HasStructuralErrors;
        if (!valid)
        {
            return new SeedModel(seed.Namespace, seed.ClassName, false, EquatableArray<int>.Empty, seed.Classes,
                EquatableArray<LayerModel>.Empty, seed.Stubs.ToEquatableArray(), 0, 0, 0, 0, 0);
        }

        var layers = resolved.Select(r => r.ToModel(resolved)).ToEquatableArray();
        return new SeedModel(seed.Namespace, seed.ClassName, true, input.ToEquatableArray(), seed.Classes, layers,
            seed.Stubs.ToEquatableArray(), totals[0], totals[1], totals[2], totals[3], totals[4]);
    }

    static (long[]? Shape, long[]? Reference) Infer(SeedDeclaration seed, LayerDeclaration layer, ResolvedLayer r,
        long[]? shape, long[]? reference, List<DiagnosticInfo> diagnostics)
    {
        void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor d, string argument, params object[] args) =>
            diagnostics.Add(DiagnosticInfo.Create(d, layer.LocationOf(argument), args));

        // Density, growth bound and activation errors leave the shape intact; only the width
        // (widthKnown) and the errors counted from 'before' on make it unknown.
        var widthKnown = !layer.HasWeights || CheckWeightSettings(seed, layer, r, Report);
        var before = diagnostics.Count;

        switch (layer.Kind)
        {
            case LayerKind.Dense:
            {
                if (!widthKnown || diagnostics.Count > before || shape is null || reference is null)
                    return (null, null);
                if (shape.Length == 3)
                {
                    Report(DiagnosticDescriptors.DenseNeedsFlatten, "Width", layer.Name,
                        Format.Shape(shape.Select(d => (int)d)));
                    return (null, null);
                }
                long fanIn = shape[0], refFanIn = reference[0];
                r.ReferenceParameters = refFanIn * r.ReferenceWidth + r.ReferenceWidth;
                r.ReferenceFlops = 2 * refFanIn * r.ReferenceWidth;
                r.SeedConnections = ActiveCount(fanIn * r.SeedWidth, layer.Density);
                r.SeedParameters = r.SeedConnections + r.SeedWidth;
                r.SeedFlops = 2 * r.SeedConnections;
                return (new long[] { r.SeedWidth }, new long[] { r.ReferenceWidth });
            }
            case LayerKind.Conv2d:
            {
                if (layer.Kernel <= 0)
                    Report(DiagnosticDescriptors.NonPositiveValue, "Kernel", layer.Name, "Kernel", layer.Kernel);
                if (layer.Stride <= 0)
                    Report(DiagnosticDescriptors.NonPositiveValue, "Stride", layer.Name, "Stride", layer.Stride);
                if (layer.Padding < 0)
                    Report(DiagnosticDescriptors.NegativePadding, "Padding", layer.Name, layer.Padding);
                if (!widthKnown || diagnostics.Count > before || shape is null || reference is null)
                    return (null, null);
                if (shape.Length != 3)
                {
                    Report(DiagnosticDescriptors.NeedsSpatialInput, "Channels", layer.Name, "Conv2d",
                        Format.Shape(shape.Select(d => (int)d)));
                    return (null, null);
                }
                long k = layer.Kernel, s = layer.Stride, p = layer.Padding;
                long h = shape[1] + 2 * p, w = shape[2] + 2 * p;
                if (k > h || k > w)
                {
                    Report(DiagnosticDescriptors.KernelLargerThanInput, "Kernel", layer.Name, layer.Kernel, h, w);
                    return (null, null);
                }
                long oh = (h - k) / s + 1, ow = (w - k) / s + 1;
                long perMap = oh * ow, area = k * k;
                r.ReferenceParameters = r.ReferenceWidth * reference[0] * area + r.ReferenceWidth;
                r.ReferenceFlops = 2 * r.ReferenceWidth * reference[0] * area * perMap;
                r.SeedConnections = ActiveCount(r.SeedWidth * shape[0] * area, layer.Density);
                r.SeedParameters = r.SeedConnections + r.SeedWidth;
                r.SeedFlops = 2 * r.SeedConnections * perMap;
                return (new long[] { r.SeedWidth, oh, ow }, new long[] { r.ReferenceWidth, oh, ow });
            }
            case LayerKind.MaxPool2d:
            {
                if (layer.Kernel <= 0)
                    Report(DiagnosticDescriptors.NonPositiveValue, "Kernel", layer.Name, "Kernel", layer.Kernel);
                if (layer.Stride < 0)
                    Report(DiagnosticDescriptors.NonPositiveValue, "Stride", layer.Name, "Stride", layer.Stride);
                if (layer.Stride == 0) layer.Stride = layer.Kernel;
                if (diagnostics.Count > before || shape is null || reference is null) return (null, null);
                if (shape.Length != 3)
                {
                    Report(DiagnosticDescriptors.NeedsSpatialInput, "Kernel", layer.Name, "MaxPool2d",
                        Format.Shape(shape.Select(d => (int)d)));
                    return (null, null);
                }
                if (layer.Kernel > shape[1] || layer.Kernel > shape[2])
                {
                    Report(DiagnosticDescriptors.PoolLargerThanInput, "Kernel", layer.Name, layer.Kernel, shape[1],
                        shape[2]);
                    return (null, null);
                }
                long oh = (shape[1] - layer.Kernel) / layer.Stride + 1, ow =
                    (shape[2] - layer.Kernel) / layer.Stride + 1;
                return (new[] { shape[0], oh, ow }, new[] { reference[0], oh, ow });
            }
            case LayerKind.Flatten:
                if (shape is null || reference is null) return (null, null);
                return shape.Length == 3
                    ? (new[] { shape[0] * shape[1] * shape[2] }, new[] { reference[0] * reference[1] * reference[2] })
                    : (shape, reference);
            case LayerKind.Dropout:
                if (!(layer.DropProbability >= 0 && layer.DropProbability < 1))
                    Report(DiagnosticDescriptors.DropoutOutOfRange, "Probability", layer.Name, layer.DropProbability);
                return (shape, reference);
            default:
                return (null, null);
        }
    }

    /// <summary>Width, density, width scale, growth bound and activation of a layer with weights;
    /// returns whether the seed width is known.</summary>
    static bool CheckWeightSettings(SeedDeclaration seed, LayerDeclaration layer, ResolvedLayer r,
        Action<Microsoft.CodeAnalysis.DiagnosticDescriptor, string, object[]> report)
    {
        var widthName = layer.Kind == LayerKind.Conv2d ? "Channels" : "Width";
        if (layer.Width <= 0)
            report(DiagnosticDescriptors.NonPositiveValue, widthName,
                new object[] { layer.Name, widthName, layer.Width });
        if (!(layer.Density > 0 && layer.Density <= 1))
            report(DiagnosticDescriptors.DensityOutOfRange, "Density", new object[] { layer.Name, layer.Density });
        if (layer.WidthScale < 0 || double.IsNaN(layer.WidthScale) || double.IsInfinity(layer.WidthScale))
            report(DiagnosticDescriptors.NonPositiveWidthScale, "WidthScale",
                new object[] { "Layer '" + layer.Name + "'", layer.WidthScale });
        if (layer.MaxWidth < 0)
            report(DiagnosticDescriptors.NonPositiveValue, "MaxWidth",
                new object[] { layer.Name, "MaxWidth", layer.MaxWidth });
        if (layer.RawActivation < (int)Activation.Default || layer.RawActivation > (int)Activation.LeakyRelu)
            report(DiagnosticDescriptors.InvalidAttributeValue, "Activation",
                new object[] { layer.Name, layer.RawActivation, "Activation" });

        // The network's width scale applies to hidden layers; the output layer keeps Classes units
        // unless the layer sets a scale of its own.
        var scale = layer.WidthScale > 0 ? layer.WidthScale : r.IsOutput ? 1.0 : seed.WidthScale;
        r.ReferenceWidth = layer.Width;
        if (layer.Width > 0 && scale > 0 && !double.IsInfinity(scale))
        {
            var scaled = Math.Round(layer.Width * scale, MidpointRounding.AwayFromZero);
            if (scaled < 1)
                report(DiagnosticDescriptors.ScaledWidthVanishes, "WidthScale",
                    new object[] { layer.Name, layer.Width, scale });
            else if (scaled > int.MaxValue)
                report(DiagnosticDescriptors.LayerTooLarge, "WidthScale",
                    new object[] { layer.Name, "the scaled width exceeds 2^31 - 1" });
            else
            {
                r.SeedWidth = (int)scaled;
                if (layer.MaxWidth > 0 && layer.MaxWidth < r.SeedWidth)
                    report(DiagnosticDescriptors.GrowthBoundBelowSeedWidth, "MaxWidth",
                        new object[] { layer.Name, layer.MaxWidth, r.SeedWidth });
            }
        }
        // An invalid network scale is reported once, on the seed; the width then stays unknown.
        return r.SeedWidth > 0;
    }

    /// <summary>Same rule as Nest.Runtime.SeedDensity.ActiveCount; a test keeps the two in step.</summary>
    internal static long ActiveCount(long total, double density)
    {
        if (total <= 0) return 0;
        var count = (long)Math.Round(density * total, MidpointRounding.AwayFromZero);
        return Math.Max(1, Math.Min(total, count));
    }
}
