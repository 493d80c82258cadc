using System;
using System.Text;

namespace Nest.Generators;

/// <summary>
/// Writes C# with indentation; <see cref="WriteBlock"/> opens a brace and returns a scope that closes
/// it, so emitted structure mirrors the emitter's own (after ComputeSharp's IndentedTextWriter).
/// </summary>
internal sealed class IndentedTextWriter
{
    const string IndentUnit = "    ";
    readonly StringBuilder _builder = new();
    int _depth;

    public IndentedTextWriter WriteLine(string line = "")
    {
        if (line.Length == 0)
        {
            _builder.Append('\n');
            return this;
        }
        for (int i = 0; i < _depth; i++) _builder.Append(IndentUnit);
        _builder.Append(line).Append('\n');
        return this;
    }

    public Block WriteBlock(string? header = null)
    {
        if (header is not null) WriteLine(header);
        WriteLine("{");
        _depth++;
        return new Block(this, "}");
    }

    /// <summary>Opens a block that closes with <paramref name="closer"/> (e.g. "};" after an initializer).</summary>
    public Block WriteBlock(string header, string closer)
    {
        WriteLine(header);
        WriteLine("{");
        _depth++;
        return new Block(this, closer);
    }

    public Block Indent()
    {
        _depth++;
        return new Block(this, null);
    }

    public override string ToString() => _builder.ToString();

    internal readonly struct Block : IDisposable
    {
        readonly IndentedTextWriter _writer;
        readonly string? _closer;

        public Block(IndentedTextWriter writer, string? closer)
        {
            _writer = writer;
            _closer = closer;
        }

        public void Dispose()
        {
            _writer._depth--;
            if (_closer is not null) _writer.WriteLine(_closer);
        }
    }
}
