using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nest.Generators;

/// <summary>Culture-invariant rendering of values for messages and emitted literals.</summary>
internal static class Format
{
    public static string Value(object? value) => value switch
    {
        null => "null",
        double d => Double(d),
        float f => Double(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Double(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A C# double literal that round-trips.</summary>
    public static string DoubleLiteral(double d)
    {
        var s = Double(d);
        return s.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? s : s + ".0";
    }

    /// <summary>A shape as in messages: <c>{ 20, 24, 24 }</c>.</summary>
    public static string Shape(IEnumerable<int> shape) =>
        "{ " + string.Join(", ", shape.Select(i => i.ToString(CultureInfo.InvariantCulture))) + " }";

    /// <summary>A C# long literal with digit separators for readability: 266_610L.</summary>
    public static string LongLiteral(long value)
    {
        var digits = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var grouped = new System.Text.StringBuilder();
        for (int i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % 3 == 0) grouped.Append('_');
            grouped.Append(digits[i]);
        }
        return (value < 0 ? "-" : "") + grouped + "L";
    }
}
