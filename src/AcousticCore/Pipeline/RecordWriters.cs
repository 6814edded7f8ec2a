using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AcousticCore.Pipeline;

/// <summary>Writes result records to a text sink in one output format.</summary>
public interface IRecordWriter
{
    /// <summary>Writes one record.</summary>
    void Write(ResultRecord record);

    /// <summary>Flushes buffered output (called after each streamed record).</summary>
    void Flush();
}

/// <summary>Output formats shared by every command.</summary>
public enum RecordFormat
{
    /// <summary>Human-readable aligned table.</summary>
    Table,
    /// <summary>One JSON object per line.</summary>
    Jsonl,
    /// <summary>Comma-separated values with a header row.</summary>
    Csv,
    /// <summary>An Apache Parquet file (typed columns), written by the <c>AcousticCore.Parquet</c> package's writer.</summary>
    Parquet,
}

/// <summary>Formats field values the same way for every writer (invariant culture, round-trip doubles).</summary>
public static class RecordValueFormat
{
    /// <summary>Text of a value; null, NaN and infinities give null.</summary>
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        double d when !double.IsFinite(d) => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f when !float.IsFinite(f) => null,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>JSON lines: one object per record, non-finite numbers as null.</summary>
public sealed class JsonLinesRecordWriter : IRecordWriter, IDisposable
{
    private readonly TextWriter _out;
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _json;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public JsonLinesRecordWriter(TextWriter output)
    {
        _out = output ?? throw new ArgumentNullException(nameof(output));
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false });
    }

    /// <inheritdoc />
    public void Write(ResultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _buffer.SetLength(0);
        _json.Reset(_buffer);
        _json.WriteStartObject();
        foreach (var (name, value) in record.Fields)
        {
            switch (value)
            {
                case null: _json.WriteNull(name); break;
                case string s: _json.WriteString(name, s); break;
                case double d when double.IsFinite(d): _json.WriteNumber(name, d); break;
                case double: _json.WriteNull(name); break;
                case long l: _json.WriteNumber(name, l); break;
                case int i: _json.WriteNumber(name, i); break;
                case bool b: _json.WriteBoolean(name, b); break;
                default: _json.WriteString(name, RecordValueFormat.ToText(value)); break;
            }
        }

        _json.WriteEndObject();
        _json.Flush();
        _out.WriteLine(Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
    }

    /// <inheritdoc />
    public void Flush() => _out.Flush();

    /// <summary>Releases the JSON buffer (the output writer is not closed).</summary>
    public void Dispose()
    {
        _json.Dispose();
        _buffer.Dispose();
    }
}

/// <summary>
/// CSV with one header row taken from the first record. Later records with fewer fields leave
/// the missing columns empty; a field not in the header is a programming error and throws.
/// </summary>
public sealed class CsvRecordWriter : IRecordWriter
{
    private readonly TextWriter _out;
    private List<string>? _header;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public CsvRecordWriter(TextWriter output) => _out = output ?? throw new ArgumentNullException(nameof(output));

    /// <summary>Fixes the header before the first record (else the first record's fields are used).</summary>
    public void SetHeader(IEnumerable<string> columns)
    {
        if (_header is not null) throw new InvalidOperationException("The CSV header was already written.");
        _header = columns.ToList();
        _out.WriteLine(string.Join(',', _header.Select(Escape)));
    }

    /// <inheritdoc />
    public void Write(ResultRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_header is null)
        {
            SetHeader(record.Fields.Select(f => f.Key));
        }

        var cells = new string?[_header!.Count];
        foreach (var (name, value) in record.Fields)
        {
            int index = _header.IndexOf(name);
            if (index < 0)
            {
                throw new InvalidOperationException($"Field '{name}' is not a column of this CSV output.");
            }

            cells[index] = RecordValueFormat.ToText(value);
        }

        _out.WriteLine(string.Join(',', cells.Select(c => c is null ? string.Empty : Escape(c))));
    }

    /// <inheritdoc />
    public void Flush() => _out.Flush();

    /// <summary>RFC 4180 quoting when the value holds a comma, quote or line break.</summary>
    internal static string Escape(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
